package dev.switchboard.operator.config;

import dev.switchboard.operator.trust.TrustPolicy;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's own defaults, as a plain value so rendering stays a pure function of (spec, config).
 * Built from {@link SwitchboardOperatorConfig} in the Quarkus app and directly in tests.
 */
public record OperatorConfig(
        String vllmImage,
        String routerImage,
        String imagePullPolicy,
        Duration startupProbeBudget,
        MonitorMode serviceMonitors,
        Duration externalProbeInterval,
        Duration externalProbeTimeout,
        int externalProbeThreads,
        TrustPolicy trust,
        ExpertApiKeys expertApiKeys,
        RouterAccess routerAccess,
        RouterTracing routerTracing) {

    public static final String DEFAULT_VLLM_IMAGE = "vllm/vllm-openai:v0.11.0";
    public static final String DEFAULT_ROUTER_IMAGE = "ghcr.io/switchboard-dev/switchboard-router:0.1.0";
    public static final String DEFAULT_EXPERT_API_KEY_SECRET = "switchboard-expert-api-key";
    /** A Secret's name: a DNS-1123 subdomain. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * Expert API keys (docs/operations.md#expert-api-keys): when {@code enabled}, every deployed expert's vLLM
     * requires key {@code api-key} of Secret {@code secretName} in the expert's namespace, which the admin creates and
     * grants to the operator's ServiceAccount; the routers send it. The operator never creates it or reads its value.
     */
    public record ExpertApiKeys(boolean enabled, String secretName) {
        public static final ExpertApiKeys OFF = new ExpertApiKeys(false, DEFAULT_EXPERT_API_KEY_SECRET);

        public ExpertApiKeys {
            if (secretName == null || secretName.length() > 253 || !SECRET_NAME.matcher(secretName).matches()) {
                throw new IllegalArgumentException("switchboard.operator.expert-api-keys.secret-name must be a Secret "
                        + "name (a DNS-1123 subdomain), not '" + secretName + "'");
            }
        }
    }

    /** Whether to create a ServiceMonitor per expert: auto = only when the Prometheus Operator CRD exists. */
    public enum MonitorMode {
        AUTO, TRUE, FALSE;

        public static MonitorMode parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("switchboard.operator.service-monitors must be auto, true or false, "
                        + "not '" + value + "'");
            }
        }
    }

    /**
     * How routers admit clients (docs/router.md, "Clients, tenants and limits"): with API keys from the keys file in
     * {@code apiKeysSecret} (a Secret of that name in each RoutingPolicy's namespace, mounted into the router pods;
     * the routers get no Secret access for it), or open (no authentication: demo, dev).
     */
    public record RouterAccess(boolean open, String apiKeysSecret) {
        public static final String DEFAULT_SECRET = "switchboard-router-api-keys";
        public static final RouterAccess API_KEYS = new RouterAccess(false, DEFAULT_SECRET);

        public RouterAccess {
            if (!open && (apiKeysSecret == null || apiKeysSecret.length() > 253
                    || !SECRET_NAME.matcher(apiKeysSecret).matches())) {
                throw new IllegalArgumentException("switchboard.operator.router-api-keys-secret must be a Secret name, "
                        + "not '" + apiKeysSecret + "'");
            }
        }

        /** apiKeys (or api-keys) or open. */
        public static RouterAccess parse(String mode, String apiKeysSecret) {
            String m = mode == null ? "" : mode.trim();
            if (m.equalsIgnoreCase("open")) {
                return new RouterAccess(true, apiKeysSecret);
            }
            if (m.equalsIgnoreCase("apiKeys") || m.equalsIgnoreCase("api-keys")) {
                return new RouterAccess(false, apiKeysSecret);
            }
            throw new IllegalArgumentException("switchboard.operator.router-auth-mode must be apiKeys or open, not '"
                    + mode + "'");
        }
    }

    /**
     * Where routers send their OpenTelemetry traces (docs/router.md, "Tracing"): an OTLP endpoint (empty: tracing
     * off), its protocol (grpc or http/protobuf) and the share of new traces sampled (0..1; a request whose client
     * sent a sampled traceparent is always traced).
     */
    public record RouterTracing(String endpoint, String protocol, double sampleRatio) {
        public static final RouterTracing OFF = new RouterTracing("", "grpc", 1.0);

        public RouterTracing {
            endpoint = endpoint == null ? "" : endpoint.trim();
            protocol = protocol == null || protocol.isBlank() ? "grpc" : protocol.trim();
            if (!endpoint.isEmpty() && !endpoint.matches("https?://[^\\s]+")) {
                throw new IllegalArgumentException("switchboard.operator.router-tracing-endpoint must be an http(s) "
                        + "URL of an OTLP receiver, not '" + endpoint + "'");
            }
            if (!protocol.equals("grpc") && !protocol.equals("http/protobuf")) {
                throw new IllegalArgumentException("switchboard.operator.router-tracing-protocol must be grpc or "
                        + "http/protobuf, not '" + protocol + "'");
            }
            if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
                throw new IllegalArgumentException("switchboard.operator.router-tracing-sample-ratio must be within "
                        + "0..1, not " + sampleRatio);
            }
        }

        public boolean enabled() {
            return !endpoint.isEmpty();
        }
    }

    public OperatorConfig {
        routerAccess = routerAccess == null ? RouterAccess.API_KEYS : routerAccess;
        routerTracing = routerTracing == null ? RouterTracing.OFF : routerTracing;
        Objects.requireNonNull(vllmImage, "vllmImage");
        Objects.requireNonNull(routerImage, "routerImage");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        Objects.requireNonNull(serviceMonitors, "serviceMonitors");
        if (!imagePullPolicy.equals("Always") && !imagePullPolicy.equals("IfNotPresent")
                && !imagePullPolicy.equals("Never")) {
            throw new IllegalArgumentException("switchboard.operator.image-pull-policy must be Always, IfNotPresent or "
                    + "Never, not '" + imagePullPolicy + "'");
        }
        if (startupProbeBudget == null || startupProbeBudget.toSeconds() < 10) {
            throw new IllegalArgumentException("switchboard.operator.startup-probe-budget must be at least 10s, not "
                    + startupProbeBudget);
        }
        if (externalProbeInterval == null || externalProbeInterval.toMillis() < 100) {
            throw new IllegalArgumentException("switchboard.operator.external-probe-interval must be at least 100ms, "
                    + "not " + externalProbeInterval);
        }
        if (externalProbeTimeout == null || externalProbeTimeout.isNegative() || externalProbeTimeout.isZero()) {
            throw new IllegalArgumentException("switchboard.operator.external-probe-timeout must be positive");
        }
        if (externalProbeThreads < 1 || externalProbeThreads > 64) {
            throw new IllegalArgumentException("switchboard.operator.external-probe-threads must be 1..64, not "
                    + externalProbeThreads);
        }
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(expertApiKeys, "expertApiKeys");
    }

    /** The documented defaults. */
    public static OperatorConfig defaults() {
        return new OperatorConfig(DEFAULT_VLLM_IMAGE, DEFAULT_ROUTER_IMAGE, "IfNotPresent", Duration.ofMinutes(30),
                MonitorMode.AUTO, Duration.ofSeconds(30), Duration.ofSeconds(5), 4, TrustPolicy.strict(),
                ExpertApiKeys.OFF, RouterAccess.API_KEYS, RouterTracing.OFF);
    }

    public OperatorConfig withServiceMonitors(MonitorMode mode) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, mode,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys, routerAccess,
                routerTracing);
    }

    public OperatorConfig withExternalProbeInterval(Duration interval) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                interval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys, routerAccess,
                routerTracing);
    }

    public OperatorConfig withExternalProbeTimeout(Duration timeout) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, timeout, externalProbeThreads, trust, expertApiKeys, routerAccess,
                routerTracing);
    }

    /**
     * Whether each deployed expert's vLLM requires the namespace's expert API key (the admin's Secret
     * {@link ExpertApiKeys#secretName()}), which the routers send: no pod can then use an expert's /v1 API without
     * the key.
     */
    public OperatorConfig withExpertApiKeys(boolean enabled) {
        return withExpertApiKeys(new ExpertApiKeys(enabled, expertApiKeys.secretName()));
    }

    public OperatorConfig withExpertApiKeys(ExpertApiKeys keys) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, keys, routerAccess,
                routerTracing);
    }

    public OperatorConfig withStartupProbeBudget(Duration budget) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, budget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys, routerAccess,
                routerTracing);
    }

    public OperatorConfig withTrust(TrustPolicy policy) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, policy, expertApiKeys, routerAccess,
                routerTracing);
    }

    public OperatorConfig withRouterAccess(RouterAccess access) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys, access,
                routerTracing);
    }

    public OperatorConfig withRouterTracing(RouterTracing tracing) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys, routerAccess,
                tracing);
    }
}
