package dev.switchboard.operator.config;

import dev.switchboard.operator.trust.TrustPolicy;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

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
        boolean expertApiKeys) {

    public static final String DEFAULT_VLLM_IMAGE = "vllm/vllm-openai:v0.11.0";
    public static final String DEFAULT_ROUTER_IMAGE = "ghcr.io/switchboard-dev/switchboard-router:0.1.0";

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

    public OperatorConfig {
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
    }

    /** The documented defaults. */
    public static OperatorConfig defaults() {
        return new OperatorConfig(DEFAULT_VLLM_IMAGE, DEFAULT_ROUTER_IMAGE, "IfNotPresent", Duration.ofMinutes(30),
                MonitorMode.AUTO, Duration.ofSeconds(30), Duration.ofSeconds(5), 4, TrustPolicy.strict(), false);
    }

    public OperatorConfig withServiceMonitors(MonitorMode mode) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, mode,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys);
    }

    public OperatorConfig withExternalProbeInterval(Duration interval) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                interval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys);
    }

    public OperatorConfig withExternalProbeTimeout(Duration timeout) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, timeout, externalProbeThreads, trust, expertApiKeys);
    }

    /**
     * Whether each deployed expert's vLLM requires an API key the operator generates (Secret
     * {@code <expert>-api-key}), which the routers send: no pod can then use an expert's /v1 API without the key.
     */
    public OperatorConfig withExpertApiKeys(boolean enabled) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, enabled);
    }

    public OperatorConfig withStartupProbeBudget(Duration budget) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, budget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, trust, expertApiKeys);
    }

    public OperatorConfig withTrust(TrustPolicy policy) {
        return new OperatorConfig(vllmImage, routerImage, imagePullPolicy, startupProbeBudget, serviceMonitors,
                externalProbeInterval, externalProbeTimeout, externalProbeThreads, policy, expertApiKeys);
    }
}
