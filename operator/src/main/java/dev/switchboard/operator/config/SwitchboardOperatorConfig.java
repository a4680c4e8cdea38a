package dev.switchboard.operator.config;

import dev.switchboard.operator.trust.EndpointRules;
import dev.switchboard.operator.trust.IpRange;
import dev.switchboard.operator.trust.TrustPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** application.properties / env view of the operator's defaults (SWITCHBOARD_OPERATOR_*). */
@ConfigMapping(prefix = "switchboard.operator")
public interface SwitchboardOperatorConfig {
    @WithDefault(OperatorConfig.DEFAULT_VLLM_IMAGE)
    String vllmImage();

    @WithDefault(OperatorConfig.DEFAULT_ROUTER_IMAGE)
    String routerImage();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    @WithDefault("30m")
    Duration startupProbeBudget();

    @WithDefault("auto")
    String serviceMonitors();

    @WithDefault("30s")
    Duration externalProbeInterval();

    @WithDefault("5s")
    Duration externalProbeTimeout();

    /** Threads probing external experts, off the reconcile threads. */
    @WithDefault("4")
    int externalProbeThreads();

    /** What authors of ExpertModels and RoutingPolicies may ask for (Helm values trust.*, docs/security.md). */
    Trust trust();

    /** The API key deployed experts require and routers send: the admin's Secret per namespace (off by default). */
    ExpertApiKeys expertApiKeys();

    /** How routers admit clients: apiKeys (keys file from router-api-keys-secret) or open (demo, dev). */
    @WithDefault("apiKeys")
    String routerAuthMode();

    /** Secret, in each RoutingPolicy's namespace, whose keys.yaml is mounted into its router pods. */
    @WithDefault(OperatorConfig.RouterAccess.DEFAULT_SECRET)
    String routerApiKeysSecret();

    /** OTLP endpoint routers send traces to; empty: no tracing. */
    Optional<String> routerTracingEndpoint();

    /** OTLP protocol of that endpoint: grpc or http/protobuf. */
    @WithDefault("grpc")
    String routerTracingProtocol();

    /** Share (0..1) of new traces a router samples. */
    @WithDefault("1.0")
    double routerTracingSampleRatio();

    /**
     * Simulated clusters only (e2e tests, the demo): a properties file mapping pod {@code ip:port} to a reachable
     * {@code host:port}, read to call vLLM's adapter endpoints on pods; the same file routers read.
     */
    Optional<String> endpointMapFile();

    /** Name of the leader election Lease (leader election is active in the prod profile). */
    @WithDefault("switchboard-operator-lease")
    String leaseName();

    /** Namespace of the Lease; the operator's own namespace when unset. */
    Optional<String> leaseNamespace();

    default OperatorConfig toOperatorConfig() {
        return new OperatorConfig(vllmImage(), routerImage(), imagePullPolicy(), startupProbeBudget(),
                OperatorConfig.MonitorMode.parse(serviceMonitors()), externalProbeInterval(), externalProbeTimeout(),
                externalProbeThreads(), trust().toTrustPolicy(), expertApiKeys().toExpertApiKeys(),
                OperatorConfig.RouterAccess.parse(routerAuthMode(), routerApiKeysSecret().strip()),
                new OperatorConfig.RouterTracing(routerTracingEndpoint().orElse(""), routerTracingProtocol(),
                        routerTracingSampleRatio()));
    }

    /**
     * switchboard.operator.expert-api-keys.*: with {@code enabled}, every deployed expert's vLLM requires key
     * {@code api-key} of Secret {@code secret-name} in its namespace, which the admin creates and grants to the
     * operator (docs/operations.md#expert-api-keys).
     */
    interface ExpertApiKeys {
        @WithDefault("false")
        boolean enabled();

        @WithDefault(OperatorConfig.DEFAULT_EXPERT_API_KEY_SECRET)
        String secretName();

        default OperatorConfig.ExpertApiKeys toExpertApiKeys() {
            return new OperatorConfig.ExpertApiKeys(enabled(), secretName().strip());
        }
    }

    /** switchboard.operator.trust.*: lists are comma-separated; unset or empty means none. */
    interface Trust {
        Optional<List<String>> engineImages();

        Optional<List<String>> routerImages();

        Optional<List<String>> priorityClasses();

        Optional<List<String>> runtimeClasses();

        Optional<List<String>> tolerationKeys();

        @WithDefault("false")
        boolean allowAffinity();

        @WithDefault("false")
        boolean allowEngineEnv();

        @WithDefault("false")
        boolean allowTrustRemoteCode();

        Endpoints endpoints();

        default TrustPolicy toTrustPolicy() {
            return new TrustPolicy(list(engineImages()), list(routerImages()), list(priorityClasses()),
                    list(runtimeClasses()), list(tolerationKeys()), allowAffinity(), allowEngineEnv(),
                    allowTrustRemoteCode(), endpoints().toRules());
        }
    }

    /** switchboard.operator.trust.endpoints.* */
    interface Endpoints {
        Optional<List<String>> allowedHosts();

        @WithName("allowed-cidrs")
        Optional<List<String>> allowedCidrs();

        @WithName("denied-cidrs")
        Optional<List<String>> deniedCidrs();

        Optional<List<String>> plainHttp();

        default EndpointRules toRules() {
            return new EndpointRules(list(allowedHosts()), list(allowedCidrs()).stream().map(IpRange::parse).toList(),
                    list(deniedCidrs()).stream().map(IpRange::parse).toList(), list(plainHttp()));
        }
    }

    private static List<String> list(Optional<List<String>> values) {
        return values.orElse(List.of()).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
