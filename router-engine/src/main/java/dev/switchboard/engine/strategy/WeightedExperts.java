package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.WeightedExpert;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.PolicyRoute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An immutable list of experts with traffic weights, as in strategy.static and strategy.category.routes. */
public final class WeightedExperts {
    private final String[] names;
    private final int[] weights;
    /** Indices by weight descending (declaration order on ties): the failover order after the pick. */
    private final Integer[] byWeight;

    private WeightedExperts(List<String> names, List<Integer> weights) {
        this.names = names.toArray(String[]::new);
        this.weights = weights.stream().mapToInt(Integer::intValue).toArray();
        this.byWeight = new Integer[this.names.length];
        for (int i = 0; i < byWeight.length; i++) {
            byWeight[i] = i;
        }
        java.util.Arrays.sort(byWeight, Comparator.comparingInt((Integer i) -> -this.weights[i]));
    }

    /**
     * Validates {@code list} found at {@code field}: names set, unique, weights >= 0, and each expert either
     * selected by the policy or declared in spec.experts.names / spec.fallback (declared but not yet existing
     * experts are accepted and are simply not routable).
     */
    public static WeightedExperts of(String field, List<WeightedExpert> list, RoutingPolicySpec spec,
                                     Map<String, ExpertInfo> experts) {
        if (list == null || list.isEmpty()) {
            throw new InvalidPolicyException(field + ": at least one expert is required");
        }
        Set<String> declared = new HashSet<>(experts.keySet());
        if (spec.experts != null && spec.experts.names != null) {
            declared.addAll(spec.experts.names);
        }
        if (spec.fallback != null) {
            declared.add(spec.fallback);
        }
        List<String> names = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            WeightedExpert w = list.get(i);
            String at = field + "[" + i + "]";
            if (w == null || w.name == null || w.name.isBlank()) {
                throw new InvalidPolicyException(at + ".name: missing");
            }
            if (!declared.contains(w.name)) {
                throw new InvalidPolicyException(at + ".name: expert '" + w.name
                        + "' is not among the policy's experts (spec.experts selects: "
                        + String.join(", ", new java.util.TreeSet<>(experts.keySet())) + ")");
            }
            if (names.contains(w.name)) {
                throw new InvalidPolicyException(at + ".name: expert '" + w.name + "' is listed twice");
            }
            int weight = w.weight == null ? 1 : w.weight;
            if (weight < 0) {
                throw new InvalidPolicyException(at + ".weight: must be >= 0, got " + weight);
            }
            names.add(w.name);
            weights.add(weight);
        }
        if (weights.stream().allMatch(x -> x == 0)) {
            throw new InvalidPolicyException(field + ": all weights are 0, so no traffic could go anywhere");
        }
        return new WeightedExperts(names, weights);
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public int weight(int i) {
        return weights[i];
    }

    public List<String> names() {
        return List.of(names);
    }

    /** Sum of the weights of routable experts. */
    public int routableWeight(PolicyRoute policy) {
        int total = 0;
        for (int i = 0; i < names.length; i++) {
            if (policy.isRoutable(names[i])) {
                total += weights[i];
            }
        }
        return total;
    }

    /**
     * Index of the weighted-random pick among routable experts with weight > 0, using {@code u} in [0, 1);
     * -1 when none is routable.
     */
    public int pick(PolicyRoute policy, double u) {
        int total = routableWeight(policy);
        if (total <= 0) {
            return -1;
        }
        double target = u * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < names.length; i++) {
            if (weights[i] > 0 && policy.isRoutable(names[i])) {
                cumulative += weights[i];
                last = i;
                if (target < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Adds the pick (if any) and then every other expert by weight descending to {@code ranking}. */
    public void rank(Ranking ranking, int picked) {
        if (picked >= 0) {
            ranking.add(names[picked]);
        }
        for (Integer i : byWeight) {
            ranking.add(names[i]);
        }
    }
}
