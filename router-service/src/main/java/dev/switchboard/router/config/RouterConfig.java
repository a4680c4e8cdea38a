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

    /** Who may call the client port (docs/router.md, "Clients, tenants and limits"). */
    Auth auth();

    /** Per-tenant limits shared across the policy's router replicas. */
    Limits limits();

    /** Bounds that shed load instead of queueing it without end. */
    Overload overload();

    /** Policies deciding in shadow (spec.shadow): their pool and the sampled answers kept. */
    Shadow shadow();

    interface Shadow {
        /** Threads deciding in shadow; they compete with live decisions for CPU, so few. */
        @WithDefault("1")
        int threads();

        /** Shadow decisions waiting for those threads beyond which new ones are shed (counted, never waited for). */
        @WithDefault("64")
        int queue();

        /** Sampled answer pairs kept in memory for /q/shadow/samples (the oldest go first). */
        @WithDefault("200")
        int samples();

        /** Largest answer kept per side of a sample, in characters (the rest is cut). */
        @WithDefault("8192")
        int sampleAnswerChars();

        /** Shadow answers being generated at once beyond which a sampled request is not sampled. */
        @WithDefault("4")
        int sampleCallsInFlight();
    }

    interface Auth {
        enum Mode {
            /** Every request is the tenant "anonymous", allowed every model, without limits (demo, dev). */
            OPEN,
            /** Requests need an API key of a tenant from the keys file; 401 without, 404 for models not allowed. */
            API_KEYS
        }

        @WithDefault("api-keys")
        Mode mode();

        /**
         * YAML file of tenants, their API keys (SHA-256 hashes or plain values, hashed on load) and limits; in a
         * cluster, a Secret the admin names, mounted into the router pod. Missing or broken: no key is accepted.
         */
        Optional<String> keysFile();

        /** How often the keys file is checked for changes (keys added or revoked live). */
        @WithDefault("2s")
        Duration reloadInterval();

        /**
         * Trust this request header, set by a gateway in front that authenticated the client, as the tenant's
         * name (no API key needed then). Off unless set: only for routers that nothing but that gateway can reach.
         */
        Optional<String> trustedTenantHeader();
    }

    interface Limits {
        /**
         * Router replicas sharing each tenant's limits: each replica enforces its share (limit / replicas, at least
         * 1), an approximation that holds while the Service spreads a tenant's requests evenly.
         */
        @WithDefault("1")
        int replicas();
    }

    interface Overload {
        /** Client requests in flight on this router beyond which new ones get 503 overloaded at once. */
        @WithDefault("1024")
        int maxInFlight();

        /**
         * Requests in flight to one expert endpoint beyond which the proxy fails over (or sheds with 503): as many as
         * the endpoint's connection pool (switchboard.upstream.max-connections-per-endpoint) holds.
         */
        @WithDefault("512")
        int maxInFlightPerEndpoint();

        /** A request body not complete within this time gets 408 and its connection closed. */
        @WithDefault("30s")
        Duration bodyReadTimeout();

        /** Threads deciding with in-process encoders (CPU bound); 0 = the number of cores. */
        @WithDefault("0")
        int decisionThreads();

        /** Decisions waiting for those threads beyond which new ones are shed (503). */
        @WithDefault("64")
        int decisionQueue();

        /** Threads for strategies that call a model (metaLLM: they wait on I/O). */
        @WithDefault("32")
        int modelDecisionThreads();

        /** Model-calling decisions waiting beyond which new ones are shed (503). */
        @WithDefault("128")
        int modelDecisionQueue();

        /** Requests waiting for a pooled upstream connection to one endpoint beyond which they fail over. */
        @WithDefault("256")
        int upstreamWaitQueue();
    }

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
