package dev.switchboard.engine;

import java.util.List;
import java.util.Map;

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

    /**
     * For strategies that sort queries into categories: every category, in the strategy's order, and the experts a
     * confident decision for it goes to before any failover (routable or not; an empty list when none covers it).
     * What {@code status.routingTable} shows; empty for strategies without categories.
     */
    default Map<String, List<String>> categoryRoutes(PolicyRoute policy) {
        return Map.of();
    }

    /** True when decide() waits on I/O (metaLLM calls a model), so callers run it off the event loop. */
    default boolean blocking() {
        return false;
    }
}
