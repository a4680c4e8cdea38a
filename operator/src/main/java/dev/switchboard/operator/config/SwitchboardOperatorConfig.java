package dev.switchboard.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
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

    /** Name of the leader election Lease (leader election is active in the prod profile). */
    @WithDefault("switchboard-operator-lease")
    String leaseName();

    /** Namespace of the Lease; the operator's own namespace when unset. */
    Optional<String> leaseNamespace();

    default OperatorConfig toOperatorConfig() {
        return new OperatorConfig(vllmImage(), routerImage(), imagePullPolicy(), startupProbeBudget(),
                OperatorConfig.MonitorMode.parse(serviceMonitors()), externalProbeInterval(), externalProbeTimeout(),
                OperatorConfig.RouterAccess.parse(routerAuthMode(), routerApiKeysSecret()),
                new OperatorConfig.RouterTracing(routerTracingEndpoint().orElse(""), routerTracingProtocol(),
                        routerTracingSampleRatio()));
    }
}
