package dev.switchboard.engine;

/**
 * Picks experts for a query. Built once per routing-table version from the policy and its experts, then used
 * concurrently by many requests: implementations are immutable and thread-safe, and never call Kubernetes.
 */
public interface RoutingStrategy {
    /** The RoutingPolicy strategy.type this implements, e.g. "category". */
    String type();

    /**
     * Decides for one query. {@code policy} gives the candidate experts (routable or not) and the fallback;
     * the returned ranking must only contain experts that are routable in {@code policy}.
     */
    Decision decide(Query query, PolicyRoute policy);

    /** True when decide() waits on I/O (metaLLM calls a model), so callers run it off the event loop. */
    default boolean blocking() {
        return false;
    }
}
