package dev.switchboard.engine.learned;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns predicted qualities into a choice. Shared by the serving strategies and the offline evaluation so both
 * measure the same rule.
 * <ul>
 * <li>BEST: highest predicted quality.</li>
 * <li>THRESHOLD_CHEAPEST: cheapest expert whose predicted quality is at least {@code threshold}; none means the
 * policy fallback.</li>
 * <li>COST_AWARE: highest {@code quality - costWeight * cost / maxCost} (RouteLLM-style willingness to pay).</li>
 * </ul>
 */
public record ExpertSelector(Rule rule, double threshold, double costWeight) {
    public enum Rule { BEST, THRESHOLD_CHEAPEST, COST_AWARE }

    public static final ExpertSelector BEST = new ExpertSelector(Rule.BEST, 0, 0);

    public static ExpertSelector thresholdCheapest(double threshold) {
        return new ExpertSelector(Rule.THRESHOLD_CHEAPEST, threshold, 0);
    }

    public static ExpertSelector costAware(double costWeight) {
        return new ExpertSelector(Rule.COST_AWARE, 0, costWeight);
    }

    /**
     * @param chosen  index of the chosen expert, or -1 when no allowed expert qualifies (use the fallback)
     * @param order   allowed experts by decreasing utility (chosen first when there is one)
     * @param utility the value each expert was ranked by
     */
    public record Choice(int chosen, List<Integer> order, double[] utility) {
    }

    public Choice choose(double[] quality, double[] cost, boolean[] allowed) {
        int m = quality.length;
        double[] utility = quality.clone();
        if (rule == Rule.COST_AWARE) {
            double maxCost = 0;
            for (int j = 0; j < m; j++) {
                if (allowed[j]) {
                    maxCost = Math.max(maxCost, cost[j]);
                }
            }
            if (maxCost > 0) {
                for (int j = 0; j < m; j++) {
                    utility[j] = quality[j] - costWeight * cost[j] / maxCost;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            if (allowed[j]) {
                order.add(j);
            }
        }
        // ties go to the cheaper expert, then to artifact order, so decisions are deterministic
        order.sort(Comparator.<Integer>comparingDouble(j -> -utility[j]).thenComparingDouble(j -> cost[j])
                .thenComparingInt(j -> j));
        if (order.isEmpty()) {
            return new Choice(-1, order, utility);
        }
        if (rule == Rule.THRESHOLD_CHEAPEST) {
            int pick = -1;
            for (int j : order) {
                if (quality[j] >= threshold && (pick < 0 || cost[j] < cost[pick])) {
                    pick = j;
                }
            }
            if (pick >= 0) {
                order.remove(Integer.valueOf(pick));
                order.add(0, pick);
            }
            return new Choice(pick, order, utility);
        }
        return new Choice(order.get(0), order, utility);
    }
}
