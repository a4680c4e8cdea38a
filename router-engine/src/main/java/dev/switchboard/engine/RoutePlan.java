package dev.switchboard.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may answer one request, in the order to try them, and the rules for trying: the candidate list the proxy
 * walks. Built once per request from the decision, here in the engine, so every caller (client requests, a
 * strategy's own model calls) fails over the same way.
 *
 * @param candidates experts to try, best first (routable or not: the proxy reports why it skipped one)
 * @param picking    how the proxy picks a replica of each candidate
 * @param holding    how requests for a cold candidate wait
 * @param scope      the policy the plan serves ("namespace/name"), or null: circuit breakers are kept per scope and
 *                   expert, so one policy's slow or failing requests never open another policy's breaker; the
 *                   holding queue of cold experts is bounded per scope too
 */
public record RoutePlan(List<ExpertInfo> candidates, PolicyRoute.FailoverPolicy failover,
                        PolicyRoute.Timeouts timeouts, EndpointPicking picking, PolicyRoute.Holding holding,
                        String scope) {
    public RoutePlan {
        candidates = List.copyOf(candidates);
        failover = failover == null ? PolicyRoute.FailoverPolicy.DEFAULT : failover;
        timeouts = timeouts == null ? PolicyRoute.Timeouts.DEFAULT : timeouts;
        picking = picking == null ? EndpointPicking.DEFAULT : picking;
        holding = holding == null ? PolicyRoute.Holding.DEFAULT : holding;
    }

    /** A plan with the default endpoint picking and holding, outside any policy. */
    public RoutePlan(List<ExpertInfo> candidates, PolicyRoute.FailoverPolicy failover, PolicyRoute.Timeouts timeouts) {
        this(candidates, failover, timeouts, null, null, null);
    }

    /** The decision's ranking, then the policy's fallback unless ranked already; names not in the policy skipped. */
    public static RoutePlan of(PolicyRoute policy, Decision decision) {
        List<ExpertInfo> candidates = new ArrayList<>(decision.ranked().size() + 1);
        for (String name : decision.ranked()) {
            ExpertInfo info = policy.experts().get(name);
            if (info != null) {
                candidates.add(info);
            }
        }
        String fallback = policy.fallback();
        if (fallback != null && !decision.ranked().contains(fallback) && policy.experts().containsKey(fallback)) {
            candidates.add(policy.experts().get(fallback));
        }
        return new RoutePlan(candidates, policy.failover(), policy.timeouts(), policy.picking(), policy.holding(),
                scopeOf(policy));
    }

    /** The scope of a policy: "namespace/name". */
    public static String scopeOf(PolicyRoute policy) {
        return policy == null ? null : policy.namespace() + "/" + policy.name();
    }

    /** One expert under a policy's failover and timeouts, or the defaults when {@code policy} is null. */
    public static RoutePlan single(ExpertInfo expert, PolicyRoute policy) {
        return new RoutePlan(List.of(expert), policy == null ? null : policy.failover(),
                policy == null ? null : policy.timeouts(), policy == null ? null : policy.picking(),
                policy == null ? null : policy.holding(), scopeOf(policy));
    }

    /** The key the holding queue of this plan's cold candidates is bounded by: the scope, "" outside a policy. */
    public String holdingKey() {
        return scope == null ? "" : scope;
    }

    /** The expert the plan tries first, or null when it has none. */
    public ExpertInfo first() {
        return candidates.isEmpty() ? null : candidates.get(0);
    }
}
