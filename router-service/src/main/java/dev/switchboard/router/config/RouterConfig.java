package dev.switchboard.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Router settings (application.properties, overridable by env, e.g. SWITCHBOARD_MODE). */
@ConfigMapping(prefix = "switchboard")
public interface RouterConfig {
    /** Where the routing table comes from. */
    enum Mode {
        /** YAML manifests from a directory (or the built-in demo), reloaded on change. */
        standalone,
        /** Informers on ExpertModel, RoutingPolicy, EndpointSlice and ConfigMap; API-key Secrets read by name. */
        kubernetes,
        /** No source: the table is set programmatically (tests, embedding). */
        manual
    }

    @WithDefault("standalone")
    Mode mode();

    Standalone standalone();

    /** Namespace watched in Kubernetes mode; defaults to the client's namespace. */
    Optional<String> namespace();

    /** RoutingPolicy served (with pinned access to its experts); empty = every policy of the namespace. */
    Optional<String> policy();

    /** Largest request body accepted, in bytes. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Forward the client's Authorization header to experts that have no API key of their own. */
    @WithDefault("false")
    boolean forwardAuthorization();

    Upstream upstream();

    /**
     * Strategy types whose decisions run on the event loop; all others run on the worker pool. Embedding a query
     * with the in-process MiniLM encoder takes milliseconds (docs/benchmarks.md, "Router: proxy overhead and
     * routing-decision latency"), long enough to stall every stream relayed on the same event loop, so only cheap
     * strategies stay on it.
     */
    @WithDefault("static")
    java.util.Set<String> eventLoopStrategies();

    /** Root of a source checkout; the build sets it for tests (switchboard.projectRoot). Unused at run time. */
    @io.smallrye.config.WithName("projectRoot")
    Optional<String> projectRoot();

    Kubernetes kubernetes();

    /** Picking a replica of the chosen expert (the per-policy settings are in spec.endpointPicking). */
    Picking picking();

    interface Standalone {
        /** Directory of YAML manifests; empty = the built-in demo configuration. */
        Optional<String> configDir();

        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Upstream {
        /** Pooled connections per expert endpoint. */
        @WithDefault("512")
        int maxConnectionsPerEndpoint();
    }

    interface Kubernetes {
        /** Events within this window are coalesced into one table rebuild. */
        @WithDefault("50ms")
        Duration debounce();

        /** Minimum interval between writes of status.routingTable. */
        @WithDefault("2s")
        Duration statusInterval();

        /** Write status.routingTable of the served policies. */
        @WithDefault("true")
        boolean writeStatus();

        /** Simulated clusters only: properties file mapping EndpointSlice "ip:port" to a reachable "host:port". */
        Optional<String> endpointMapFile();

        /**
         * Window of the demand this replica reports in its policies' status.demand for the built-in autoscaler:
         * at most one write per policy per window (plus at most one a second when a request starts waiting for a
         * cold expert), and none while nothing is asked for.
         */
        @WithDefault("5s")
        Duration demandInterval();

        /** Key of this replica's entry in status.demand; the operator sets the pod name. Default: the host name. */
        Optional<String> podName();
    }

    interface Picking {
        /** Prompt blocks (64 characters each) the prefix index remembers across all replicas, about 100 bytes each. */
        @WithDefault("100000")
        int prefixIndexBlocks();

        /** Sessions remembered, least recently used forgotten first (each of two tables: replicas, experts). */
        @WithDefault("100000")
        int sessionMaxEntries();

        /** Reading each replica's load from vLLM's Prometheus endpoint (plain-http endpoints only). */
        PickingMetrics metrics();
    }

    interface PickingMetrics {
        @WithDefault("true")
        boolean enabled();

        /** Time between two reads of one replica; a reading older than three intervals is not used. */
        @WithDefault("1s")
        Duration interval();

        /** Longest wait for a replica's /metrics (connect, and between bytes). */
        @WithDefault("500ms")
        Duration timeout();

        /** Replicas read at once. */
        @WithDefault("4")
        int concurrency();
    }
}
