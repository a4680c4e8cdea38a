package dev.switchboard.lab.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Scores a per-query choice of expert against the evaluation data, and the reference routers. */
public final class Evaluator {
    private Evaluator() {
    }

    /** @param choice expert index chosen for each row */
    public static RouterResult score(String name, int[] choice, EvalData d) {
        int n = d.size();
        int m = d.experts().size();
        double acc = 0;
        double cost = 0;
        double[] count = new double[m];
        Map<String, double[]> cat = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int j = choice[i];
            acc += d.scores()[i][j];
            cost += d.costs()[i][j];
            count[j]++;
            if (d.categories()[i] != null) {
                double[] a = cat.computeIfAbsent(d.categories()[i], k -> new double[2]);
                a[0] += d.scores()[i][j];
                a[1]++;
            }
        }
        Map<String, Double> share = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            share.put(d.experts().get(j), n == 0 ? 0 : count[j] / n);
        }
        Map<String, Double> perCat = new LinkedHashMap<>();
        cat.forEach((k, a) -> perCat.put(k, a[0] / a[1]));
        return new RouterResult(name, n == 0 ? 0 : acc / n, n == 0 ? 0 : cost / n, share, perCat);
    }

    public static int[] always(int expert, int n) {
        int[] c = new int[n];
        java.util.Arrays.fill(c, expert);
        return c;
    }

    /** Best possible per-query choice; ties go to the cheaper expert. */
    public static int[] oracle(EvalData d) {
        int[] c = new int[d.size()];
        for (int i = 0; i < c.length; i++) {
            int best = 0;
            for (int j = 1; j < d.experts().size(); j++) {
                double s = d.scores()[i][j];
                double b = d.scores()[i][best];
                if (s > b || (s == b && d.costs()[i][j] < d.costs()[i][best])) {
                    best = j;
                }
            }
            c[i] = best;
        }
        return c;
    }

    /** Expected result of a uniformly random choice: every expert weighted 1/m. */
    public static RouterResult random(EvalData d) {
        int m = d.experts().size();
        double acc = 0;
        double cost = 0;
        Map<String, Double> share = new LinkedHashMap<>();
        Map<String, double[]> cat = new TreeMap<>();
        for (int i = 0; i < d.size(); i++) {
            double rowAcc = 0;
            for (int j = 0; j < m; j++) {
                rowAcc += d.scores()[i][j] / m;
                cost += d.costs()[i][j] / m;
            }
            acc += rowAcc;
            if (d.categories()[i] != null) {
                double[] a = cat.computeIfAbsent(d.categories()[i], k -> new double[2]);
                a[0] += rowAcc;
                a[1]++;
            }
        }
        for (String e : d.experts()) {
            share.put(e, 1.0 / m);
        }
        Map<String, Double> perCat = new LinkedHashMap<>();
        cat.forEach((k, a) -> perCat.put(k, a[0] / a[1]));
        return new RouterResult("random", acc / d.size(), cost / d.size(), share, perCat);
    }

    /** Index of the expert with the best mean score. */
    public static int bestSingle(EvalData d) {
        int best = 0;
        double bestAcc = -1;
        for (int j = 0; j < d.experts().size(); j++) {
            double a = score("", always(j, d.size()), d).accuracy();
            if (a > bestAcc) {
                bestAcc = a;
                best = j;
            }
        }
        return best;
    }

    /**
     * For each category, the expert with the best mean score on {@code train}; rows of an unseen category get the
     * best single expert of train.
     */
    public static Map<String, Integer> bestPerCategory(EvalData train) {
        Map<String, double[]> sums = new TreeMap<>();
        int m = train.experts().size();
        for (int i = 0; i < train.size(); i++) {
            String c = train.categories()[i];
            if (c == null) {
                continue;
            }
            double[] a = sums.computeIfAbsent(c, k -> new double[m]);
            for (int j = 0; j < m; j++) {
                a[j] += train.scores()[i][j];
            }
        }
        Map<String, Integer> out = new TreeMap<>();
        sums.forEach((c, a) -> {
            int best = 0;
            for (int j = 1; j < m; j++) {
                if (a[j] > a[best]) {
                    best = j;
                }
            }
            out.put(c, best);
        });
        return out;
    }

    public static int[] byCategory(Map<String, Integer> table, int defaultExpert, EvalData d) {
        int[] c = new int[d.size()];
        for (int i = 0; i < c.length; i++) {
            Integer e = d.categories()[i] == null ? null : table.get(d.categories()[i]);
            c[i] = e == null ? defaultExpert : e;
        }
        return c;
    }
}
