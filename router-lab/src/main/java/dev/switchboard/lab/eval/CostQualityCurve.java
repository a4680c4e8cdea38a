package dev.switchboard.lab.eval;

import dev.switchboard.engine.learned.ExpertSelector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cost-quality curve of a quality predictor traded against cost (costAware), traced by sweeping the cost
 * weight lambda, and its area as in RouterBench: the accuracy of the upper hull averaged over the cost range of the
 * single experts (the curve is extended flat beyond its most expensive point).
 */
public record CostQualityCurve(String name, List<Point> points, double area, double costMin, double costMax) {

    public record Point(double costWeight, double cost, double accuracy, Map<String, Double> share) {
    }

    /** Cost weights swept: 0, then geometric from 1e-3 to 1e3 (20 steps per decade). */
    public static double[] lambdas() {
        double[] l = new double[122];
        for (int i = 1; i < l.length; i++) {
            l[i] = Math.pow(10, -3 + 6.0 * (i - 1) / (l.length - 2));
        }
        return l;
    }

    /** @param predicted per-row predicted quality of each expert */
    public static CostQualityCurve trace(String name, double[][] predicted, EvalData d) {
        double[] serveCost = d.meanCosts();
        boolean[] all = new boolean[d.experts().size()];
        java.util.Arrays.fill(all, true);
        List<Point> points = new ArrayList<>();
        for (double lambda : lambdas()) {
            ExpertSelector sel = ExpertSelector.costAware(lambda);
            int[] choice = new int[d.size()];
            for (int i = 0; i < choice.length; i++) {
                choice[i] = sel.choose(predicted[i], serveCost, all).chosen();
            }
            RouterResult r = Evaluator.score(name, choice, d);
            points.add(new Point(lambda, r.averageCost(), r.accuracy(), r.share()));
        }
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (double c : serveCost) {
            lo = Math.min(lo, c);
            hi = Math.max(hi, c);
        }
        return new CostQualityCurve(name, points, area(points, lo, hi), lo, hi);
    }

    /** Upper concave hull of (cost, accuracy), integrated over [lo, hi] and divided by its width. */
    static double area(List<Point> points, double lo, double hi) {
        List<double[]> hull = hull(points);
        if (hi <= lo || hull.isEmpty()) {
            return hull.isEmpty() ? 0 : hull.get(hull.size() - 1)[1];
        }
        double total = 0;
        double prevX = lo;
        double prevY = interpolate(hull, lo);
        int steps = 1000;
        for (int s = 1; s <= steps; s++) {
            double x = lo + (hi - lo) * s / steps;
            double y = interpolate(hull, x);
            total += (x - prevX) * (y + prevY) / 2;
            prevX = x;
            prevY = y;
        }
        return total / (hi - lo);
    }

    static List<double[]> hull(List<Point> points) {
        List<double[]> pts = new ArrayList<>();
        for (Point p : points) {
            pts.add(new double[]{p.cost(), p.accuracy()});
        }
        pts.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> -p[1]));
        List<double[]> h = new ArrayList<>();
        for (double[] p : pts) {
            if (!h.isEmpty() && p[1] <= h.get(h.size() - 1)[1]) {
                continue; // more cost for no more accuracy is never on the frontier
            }
            while (h.size() >= 2) {
                double[] a = h.get(h.size() - 2);
                double[] b = h.get(h.size() - 1);
                double cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
                if (cross >= 0) {
                    h.remove(h.size() - 1);
                } else {
                    break;
                }
            }
            h.add(p);
        }
        return h;
    }

    private static double interpolate(List<double[]> h, double x) {
        if (x <= h.get(0)[0]) {
            return h.get(0)[1];
        }
        for (int i = 1; i < h.size(); i++) {
            double[] a = h.get(i - 1);
            double[] b = h.get(i);
            if (x <= b[0]) {
                return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
            }
        }
        return h.get(h.size() - 1)[1];
    }

    /** The point with the smallest share of {@code expert} whose accuracy is at least {@code target}, or null. */
    public Point fewestCallsTo(String expert, double target) {
        Point best = null;
        for (Point p : points) {
            if (p.accuracy() >= target && (best == null || p.share().get(expert) < best.share().get(expert))) {
                best = p;
            }
        }
        return best;
    }
}
