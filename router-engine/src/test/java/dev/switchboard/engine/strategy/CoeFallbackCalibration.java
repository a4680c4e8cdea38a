package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.strategy.FallbackRates.Seen;
import dev.switchboard.engine.table.ArtifactSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the uncertainty setting (metric, threshold, category temperature) of the example policy {@code coe}
 * (deploy/examples/policies/category-policy.yaml) from the calibration questions, with the real MiniLM encoder.
 *
 * <p>Each question is decided once per temperature with the uncertainty rule off (its confident expert and the
 * category probabilities); every metric × threshold is then applied to those probabilities as the strategy would.
 * Objective: {@link FallbackRates#objective() balanced accuracy} over where questions go. Where, not why: an
 * unclear question confidently classified {@code general} already gets the generalist's answer, and forcing its
 * reason to low-confidence would only cost clear questions.
 *
 * <p>Per metric × temperature the threshold is the midpoint of the widest run of best thresholds (farthest from
 * the questions on either side). The metric and temperature are chosen by 5-fold cross-validation of that fit
 * (folds by position in the file, so each holds every group), so a threshold that is best by one lucky question
 * does not win; ties go to the temperature nearest the engine default (change only what pays), then the better
 * fit on all calibration questions, the wider run, the order of {@link #METRICS}.
 */
final class CoeFallbackCalibration {
    static final String POLICY = "category-policy.yaml";
    static final List<String> METRICS = List.of(Uncertainty.MARGIN, Uncertainty.MAX_PROB, Uncertainty.ENTROPY);
    static final List<Double> TEMPERATURES = List.of(0.02, 0.03, 0.05, 0.07, 0.1, 0.2);
    /** Thresholds tried: 0.00, 0.01, ..., 1.00. */
    static final int STEPS = 100;
    static final int FOLDS = 5;

    private CoeFallbackCalibration() {
    }

    record Setting(String metric, double threshold, double temperature) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s < %.2f at temperature %.2f", metric, threshold, temperature);
        }
    }

    /**
     * One metric × temperature: the best thresholds on all calibration questions, [from, to], with the setting at
     * their midpoint and its rates, and the pooled rates of thresholds fitted on four folds and scored on the fifth.
     */
    record Cell(Setting setting, double from, double to, FallbackRates fitted, FallbackRates crossValidated) {
    }

    record Selection(List<Cell> cells, Cell chosen) {
    }

    /** The example policy at {@code temperature} with no uncertainty rule. */
    static PolicyRoute routeWithoutUncertainty(double temperature) {
        RoutingPolicy policy = Fixtures.examplePolicy(POLICY);
        policy.getSpec().strategy.uncertainty = null;
        policy.getSpec().strategy.category.temperature = temperature;
        return Fixtures.exampleRoute(policy, ArtifactSource.NONE);
    }

    /** The example policy's fallback expert, where the rule sends unsure questions. */
    static String fallback() {
        return Fixtures.examplePolicy(POLICY).getSpec().fallback;
    }

    static Map<Double, List<Seen>> observe(List<CoeQuestion> questions, List<Double> temperatures) {
        Map<Double, List<Seen>> seen = new LinkedHashMap<>();
        for (double t : temperatures) {
            PolicyRoute route = routeWithoutUncertainty(t);
            CategoryStrategy strategy = (CategoryStrategy) route.strategy();
            List<Seen> list = new ArrayList<>();
            for (CoeQuestion q : questions) {
                Query query = new Query(q.question());
                Decision d = strategy.decide(query, route);
                list.add(new Seen(q, d.expert(), d.category(), strategy.probabilities(query.routableText(false))));
            }
            seen.put(t, list);
        }
        return seen;
    }

    static double threshold(int step) {
        return Math.round(step * 100.0 / STEPS) / 100.0;
    }

    /** The midpoint of the widest run of thresholds with the best objective on {@code seen}, and the run. */
    static double[] bestRun(List<Seen> seen, String metric, String fallback) {
        double[] objective = new double[STEPS + 1];
        double top = -1;
        for (int i = 0; i <= STEPS; i++) {
            objective[i] = FallbackRates.of(seen, metric, threshold(i), fallback).objective();
            top = Math.max(top, objective[i]);
        }
        int from = -1;
        int to = -1;
        for (int i = 0; i <= STEPS; i++) {
            if (objective[i] == top) {
                int j = i;
                while (j < STEPS && objective[j + 1] == top) {
                    j++;
                }
                if (from < 0 || j - i > to - from) {
                    from = i;
                    to = j;
                }
                i = j;
            }
        }
        double mid = Math.round((threshold(from) + threshold(to)) * 50.0) / 100.0;
        return new double[]{mid, threshold(from), threshold(to)};
    }

    static Cell cell(List<Seen> seen, String metric, double temperature, String fallback) {
        double[] run = bestRun(seen, metric, fallback);
        FallbackRates cv = FallbackRates.NONE;
        for (int k = 0; k < FOLDS; k++) {
            List<Seen> train = new ArrayList<>();
            List<Seen> test = new ArrayList<>();
            for (int i = 0; i < seen.size(); i++) {
                (i % FOLDS == k ? test : train).add(seen.get(i));
            }
            cv = cv.plus(FallbackRates.of(test, metric, bestRun(train, metric, fallback)[0], fallback));
        }
        return new Cell(new Setting(metric, run[0], temperature), run[1], run[2],
                FallbackRates.of(seen, metric, run[0], fallback), cv);
    }

    static Selection select(Map<Double, List<Seen>> calibration, String fallback) {
        List<Cell> cells = new ArrayList<>();
        calibration.forEach((t, seen) -> METRICS.forEach(m -> cells.add(cell(seen, m, t, fallback))));
        Cell chosen = cells.stream().min(Comparator
                .comparingDouble((Cell c) -> -c.crossValidated().objective())
                .thenComparingDouble(c -> Math.abs(Math.log(c.setting().temperature()
                        / CategoryStrategy.DEFAULT_TEMPERATURE)))
                .thenComparingDouble(c -> -c.fitted().objective())
                .thenComparingDouble(c -> c.from() - c.to())
                .thenComparingInt(c -> METRICS.indexOf(c.setting().metric()))).orElseThrow();
        return new Selection(cells, chosen);
    }

    /** One line per metric × temperature, for the test's output and docs/benchmarks.md. */
    static String table(Selection selection) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-5s %-8s %-10s %-5s %-9s %s%n",
                "temp", "metric", "best run", "fit", "5-fold CV", "rates at the fit (all calibration questions)"));
        for (Cell c : selection.cells()) {
            out.append(String.format(Locale.ROOT, "%-5.2f %-8s %.2f..%.2f %-5.2f %-9.3f %s%s%n",
                    c.setting().temperature(), c.setting().metric(), c.from(), c.to(), c.setting().threshold(),
                    c.crossValidated().objective(), c.fitted(), c == selection.chosen() ? "  <- chosen" : ""));
        }
        return out.toString();
    }
}
