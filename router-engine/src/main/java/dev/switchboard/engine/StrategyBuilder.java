package dev.switchboard.engine;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;

import java.util.Map;

/**
 * Builds the strategy of one policy for one routing-table version. Throws {@link InvalidPolicyException} with a
 * message naming the offending field when the policy cannot be served (e.g. a missing artifact).
 */
@FunctionalInterface
public interface StrategyBuilder {
    RoutingStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                          StrategyContext context);
}
