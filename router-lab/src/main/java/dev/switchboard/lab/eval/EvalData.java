package dev.switchboard.lab.eval;

import dev.switchboard.lab.data.LabeledQuery;

import java.util.List;
import java.util.Map;

/**
 * Evaluation rows as matrices over a fixed expert list: scores (n x m), per-query costs (n x m: the row's cost_usd
 * when given, else the cost table, whose "*" entry is the default) and categories (may be null).
 */
public record EvalData(List<String> experts, double[][] scores, double[][] costs, String[] categories) {

    public static EvalData of(List<LabeledQuery> rows, List<String> experts, Map<String, Double> costTable) {
        int n = rows.size();
        int m = experts.size();
        double[][] s = new double[n][m];
        double[][] c = new double[n][m];
        String[] cat = new String[n];
        for (int i = 0; i < n; i++) {
            LabeledQuery q = rows.get(i);
            for (int j = 0; j < m; j++) {
                String e = experts.get(j);
                Double v = q.scores().get(e);
                if (v == null) {
                    throw new IllegalArgumentException("row " + q.id() + " has no score for expert " + e);
                }
                s[i][j] = v;
                Double cost = q.costs().get(e);
                c[i][j] = cost != null ? cost : costTable.getOrDefault(e, costTable.getOrDefault("*", 0.0));
            }
            cat[i] = q.category();
        }
        return new EvalData(List.copyOf(experts), s, c, cat);
    }

    public int size() {
        return scores.length;
    }

    /** Mean cost per query of each expert (what a serving policy would put in ExpertModel cost). */
    public double[] meanCosts() {
        double[] out = new double[experts.size()];
        for (double[] row : costs) {
            for (int j = 0; j < out.length; j++) {
                out[j] += row[j] / costs.length;
            }
        }
        return out;
    }

    public boolean hasCosts() {
        for (double v : meanCosts()) {
            if (v > 0) {
                return true;
            }
        }
        return false;
    }
}
