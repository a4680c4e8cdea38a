package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Fixed traffic weights (A/B tests, canaries): each query goes to a weighted-random routable expert of
 * strategy.static.experts; failover then tries the others by weight, then the fallback. Weights of experts that
 * are down are redistributed over the rest.
 */
public final class StaticStrategy implements RoutingStrategy {
    public static final String TYPE = "static";

    private final String policyName;
    private final WeightedExperts experts;
    private final DoubleSupplier random;

    public StaticStrategy(String policyName, WeightedExperts experts, DoubleSupplier random) {
        this.policyName = policyName;
        this.experts = experts;
        this.random = random;
    }

    public static StaticStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                                       StrategyContext context) {
        return new StaticStrategy(policyName, WeightedExperts.of(spec.strategy.staticWeights.experts),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    public WeightedExperts weights() {
        return experts;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        int total = experts.routableWeight(policy);
        int picked = experts.pick(policy, random.getAsDouble());
        Ranking ranking = new Ranking(policy);
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < experts.size(); i++) {
            if (policy.isRoutable(experts.name(i))) {
                shares.put(experts.name(i), total == 0 ? 0.0 : (double) experts.weight(i) / total);
            }
        }
        if (picked >= 0) {
            experts.rank(ranking, picked);
            ranking.add(policy.fallback());
            return new Decision(policyName, TYPE, ranking.list(), null, shares.get(experts.name(picked)), null,
                    shares, null);
        }
        // No weighted expert is up: the fallback, then zero-weight and other experts keep the service answering.
        ranking.add(policy.fallback());
        experts.rank(ranking, -1);
        ranking.addGeneralists();
        ranking.addAll(policy.routableExperts());
        return new Decision(policyName, TYPE, ranking.list(), null, 0, "no-ready-expert", shares, null);
    }
}
