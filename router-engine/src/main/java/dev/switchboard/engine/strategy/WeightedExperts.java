package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.WeightedExpert;
import dev.switchboard.engine.PolicyRoute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
     * The experts of {@code list} in order, weight 1 where none is given. The list passed the shared
     * {@link dev.switchboard.api.rules.PolicyRules} (names among the policy's experts, unique, weights >= 0, not all
     * 0) before any strategy is built.
     */
    public static WeightedExperts of(List<WeightedExpert> list) {
        List<String> names = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (WeightedExpert w : list) {
            names.add(w.name);
            weights.add(w.weight == null ? 1 : w.weight);
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
