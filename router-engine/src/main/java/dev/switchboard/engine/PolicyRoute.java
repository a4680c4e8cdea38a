package dev.switchboard.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One RoutingPolicy in the table: the model name clients send, its experts and how to pick among them.
 *
 * @param experts  candidate experts by name (routable or not, so a strategy can explain what is missing)
 * @param fallback generalist expert name, or null
 * @param picking  how a replica of an expert is picked
 * @param holding  how requests for a cold expert wait
 * @param caps     caps on max_tokens and n of each request ({@link RequestCaps#NONE}: none)
 */
public record PolicyRoute(String name, String namespace, String modelName, RoutingStrategy strategy,
                          Map<String, ExpertInfo> experts, String fallback, FailoverPolicy failover,
                          Timeouts timeouts, EndpointPicking picking, Holding holding, RequestCaps caps) {
    public PolicyRoute {
        experts = Map.copyOf(experts);
        picking = picking == null ? EndpointPicking.DEFAULT : picking;
        holding = holding == null ? Holding.DEFAULT : holding;
        caps = caps == null ? RequestCaps.NONE : caps;
    }

    /** A policy with the default endpoint picking and holding of cold experts, and no request caps. */
    public PolicyRoute(String name, String namespace, String modelName, RoutingStrategy strategy,
                       Map<String, ExpertInfo> experts, String fallback, FailoverPolicy failover, Timeouts timeouts) {
        this(name, namespace, modelName, strategy, experts, fallback, failover, timeouts, EndpointPicking.DEFAULT,
                Holding.DEFAULT, RequestCaps.NONE);
    }

    /** A policy with the default holding of cold experts and no request caps. */
    public PolicyRoute(String name, String namespace, String modelName, RoutingStrategy strategy,
                       Map<String, ExpertInfo> experts, String fallback, FailoverPolicy failover, Timeouts timeouts,
                       EndpointPicking picking) {
        this(name, namespace, modelName, strategy, experts, fallback, failover, timeouts, picking, Holding.DEFAULT,
                RequestCaps.NONE);
    }

    /** A policy with the default endpoint picking and no request caps. */
    public PolicyRoute(String name, String namespace, String modelName, RoutingStrategy strategy,
                       Map<String, ExpertInfo> experts, String fallback, FailoverPolicy failover, Timeouts timeouts,
                       Holding holding) {
        this(name, namespace, modelName, strategy, experts, fallback, failover, timeouts, EndpointPicking.DEFAULT,
                holding, RequestCaps.NONE);
    }

    /** A policy with the default holding of cold experts. */
    public PolicyRoute(String name, String namespace, String modelName, RoutingStrategy strategy,
                       Map<String, ExpertInfo> experts, String fallback, FailoverPolicy failover, Timeouts timeouts,
                       EndpointPicking picking, RequestCaps caps) {
        this(name, namespace, modelName, strategy, experts, fallback, failover, timeouts, picking, Holding.DEFAULT,
                caps);
    }

    /**
     * How requests for a cold expert (scaling from zero) wait: at most {@code maxWait}, at most {@code maxQueued}
     * requests of this policy at once per router replica (0: never hold).
     */
    public record Holding(Duration maxWait, int maxQueued) {
        public static final Holding DEFAULT = new Holding(Duration.ofSeconds(60), 1000);
    }

    /** spec.requestLimits: the largest max_tokens and n a request may ask for; 0 = no cap. */
    public record RequestCaps(int maxTokens, int maxN) {
        public static final RequestCaps NONE = new RequestCaps(0, 0);
    }

    /** False for null (a policy without fallback), which the immutable map would refuse to look up. */
    public boolean isRoutable(String expert) {
        ExpertInfo info = expert == null ? null : experts.get(expert);
        return info != null && info.routable();
    }

    public List<String> routableExperts() {
        return experts.values().stream().filter(ExpertInfo::routable).map(ExpertInfo::name).sorted().toList();
    }

    /**
     * Retry settings. {@code retryOn} holds the failures of {@code spec.failover.retryOn} (connect errors, timeouts,
     * 5xx, 429); the proxy consults it for retryable statuses (5xx, 429).
     */
    public record FailoverPolicy(int maxAttempts, Set<UpstreamFailure> retryOn, int breakerFailures,
                                 Duration breakerOpenFor) {
        public static final FailoverPolicy DEFAULT = new FailoverPolicy(3,
                Set.of(UpstreamFailure.CONNECT_ERROR, UpstreamFailure.TIMEOUT, UpstreamFailure.SERVER_ERROR), 5,
                Duration.ofSeconds(30));

        public FailoverPolicy {
            retryOn = Set.copyOf(retryOn);
        }
    }

    /** Upstream timeouts. */
    public record Timeouts(Duration connect, Duration firstByte, Duration request) {
        public static final Timeouts DEFAULT =
                new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMinutes(10));
    }
}
