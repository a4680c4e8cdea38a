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

    /** Generate an API key per deployed expert (Secret <expert>-api-key) that its vLLM requires and routers send. */
    @WithDefault("false")
    boolean expertApiKeys();

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
                expertApiKeys());
    }
}
