package dev.switchboard.engine.table;

import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.ShadowRoute;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the router needs to route, as one immutable value. A new table is built on every change and
 * swapped in atomically; a request keeps the table it started with.
 *
 * @param policies by client-facing model name
 * @param experts  by served model name (pinned requests), all experts including unroutable ones
 * @param shadows  the policies deciding in shadow, by the key of the live policy ({@link ShadowRoute#key}); a
 *                 shadow policy is not served to clients through this map
 */
public record RoutingTable(long version, Map<String, PolicyRoute> policies, Map<String, ExpertInfo> experts,
                           Map<String, ShadowRoute> shadows) {
    public static final RoutingTable EMPTY = new RoutingTable(0, Map.of(), Map.of());

    public RoutingTable {
        policies = Map.copyOf(policies);
        experts = Map.copyOf(experts);
        shadows = Map.copyOf(shadows);
    }

    /** Without shadows. */
    public RoutingTable(long version, Map<String, PolicyRoute> policies, Map<String, ExpertInfo> experts) {
        this(version, policies, experts, Map.of());
    }

    /** The policy deciding in shadow on {@code live}'s requests, if it has a usable one. */
    public Optional<ShadowRoute> shadowOf(PolicyRoute live) {
        return shadows.isEmpty() ? Optional.empty() : Optional.ofNullable(shadows.get(ShadowRoute.key(live)));
    }

    public Optional<PolicyRoute> policy(String modelName) {
        return Optional.ofNullable(policies.get(modelName));
    }

    public Optional<ExpertInfo> expert(String servedModelName) {
        return Optional.ofNullable(experts.get(servedModelName));
    }

    /**
     * The plan of a request pinned to {@code expert}: that expert alone, under the failover and timeouts of the
     * first policy (by model name) of its namespace that routes to it, else the defaults.
     */
    public RoutePlan pinnedPlan(ExpertInfo expert) {
        PolicyRoute owner = null;
        for (PolicyRoute p : policies.values()) {
            // the smallest model name, so the choice does not depend on the map's iteration order
            if (p.experts().containsKey(expert.name()) && p.namespace().equals(expert.namespace())
                    && (owner == null || p.modelName().compareTo(owner.modelName()) < 0)) {
                owner = p;
            }
        }
        return RoutePlan.single(expert, owner);
    }

    /** Model names a client may ask for: every policy, plus experts that are routable now. */
    public List<String> availableModels() {
        return java.util.stream.Stream.concat(policies.keySet().stream(),
                        experts.values().stream().filter(ExpertInfo::routable).map(ExpertInfo::servedModelName))
                .distinct().sorted().toList();
    }
}
