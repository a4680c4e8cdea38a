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
 */
public record RoutePlan(List<ExpertInfo> candidates, PolicyRoute.FailoverPolicy failover,
                        PolicyRoute.Timeouts timeouts, EndpointPicking picking, PolicyRoute.Holding holding,
                        String policyKey) {
    public RoutePlan {
        candidates = List.copyOf(candidates);
        failover = failover == null ? PolicyRoute.FailoverPolicy.DEFAULT : failover;
        timeouts = timeouts == null ? PolicyRoute.Timeouts.DEFAULT : timeouts;
        picking = picking == null ? EndpointPicking.DEFAULT : picking;
        holding = holding == null ? PolicyRoute.Holding.DEFAULT : holding;
        policyKey = policyKey == null ? "" : policyKey;
    }

    /** A plan with the default endpoint picking and holding. */
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
                key(policy));
    }

    private static String key(PolicyRoute policy) {
        return policy.namespace() + "/" + policy.name();
    }

    /** One expert under a policy's failover and timeouts, or the defaults when {@code policy} is null. */
    public static RoutePlan single(ExpertInfo expert, PolicyRoute policy) {
        return new RoutePlan(List.of(expert), policy == null ? null : policy.failover(),
                policy == null ? null : policy.timeouts(), policy == null ? null : policy.picking(),
                policy == null ? null : policy.holding(), policy == null ? null : key(policy));
    }

    /** The expert the plan tries first, or null when it has none. */
    public ExpertInfo first() {
        return candidates.isEmpty() ? null : candidates.get(0);
    }
}
