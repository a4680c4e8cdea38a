package dev.switchboard.lab.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {
    // 4 queries, experts cheap (cost 1) and strong (cost 10)
    private static final EvalData D = new EvalData(List.of("cheap", "strong"),
            new double[][]{{1, 1}, {0, 1}, {0, 1}, {1, 0}},
            new double[][]{{1, 10}, {1, 10}, {1, 10}, {1, 10}},
            new String[]{"a", "a", "b", "b"});

    @Test
    void referenceRouters() {
        assertThat(Evaluator.score("x", Evaluator.always(0, 4), D).accuracy()).isEqualTo(0.5);
        assertThat(Evaluator.bestSingle(D)).isEqualTo(1);
        RouterResult oracle = Evaluator.score("oracle", Evaluator.oracle(D), D);
        assertThat(oracle.accuracy()).isEqualTo(1.0);
        // the tie on the first query goes to the cheaper expert
        assertThat(oracle.averageCost()).isEqualTo((1 + 10 + 10 + 1) / 4.0);
        assertThat(oracle.share()).containsEntry("cheap", 0.5).containsEntry("strong", 0.5);
        assertThat(oracle.perCategory()).containsEntry("a", 1.0).containsEntry("b", 1.0);
        assertThat(Evaluator.random(D).accuracy()).isEqualTo(0.625);
        Map<String, Integer> perCat = Evaluator.bestPerCategory(D);
        assertThat(perCat).containsEntry("a", 1);
        assertThat(Evaluator.score("c", Evaluator.byCategory(perCat, 1, D), D).accuracy()).isEqualTo(0.75);
    }

    @Test
    void costQualityCurveSpansCheapToStrongAndFindsTheBudget() {
        // a perfect predictor: predicted quality = true score
        CostQualityCurve curve = CostQualityCurve.trace("perfect", D.scores(), D);
        CostQualityCurve.Point first = curve.points().get(0);
        assertThat(first.costWeight()).isZero();
        assertThat(first.accuracy()).isEqualTo(1.0);
        CostQualityCurve.Point last = curve.points().get(curve.points().size() - 1);
        assertThat(last.share().get("cheap")).isEqualTo(1.0);
        assertThat(last.accuracy()).isEqualTo(0.5);
        // 95 % of strong's 0.75 is reachable sending only half the queries to strong
        CostQualityCurve.Point p = curve.fewestCallsTo("strong", 0.95 * 0.75);
        assertThat(p.share().get("strong")).isEqualTo(0.5);
        // hull from (1, 0.5) to (5.5, 1.0) then flat to 10: mean over [1, 10]
        double expected = (4.5 * 0.75 + 4.5 * 1.0) / 9;
        assertThat(curve.area()).isCloseTo(expected, within(1e-3));
    }

    @Test
    void pairedDifferenceHasTheStandardErrorOfTheMeanOfPerQueryDifferences() {
        // always-strong vs always-cheap: per-query differences 0, +1, +1, -1
        PairedDifference p = PairedDifference.of("strong", Evaluator.always(1, 4), "cheap", Evaluator.always(0, 4), D);
        assertThat(p.difference()).isEqualTo(0.25);
        double variance = ((0 - 0.25) * (0 - 0.25) + 2 * 0.75 * 0.75 + 1.25 * 1.25) / 3;
        assertThat(p.standardError()).isCloseTo(Math.sqrt(variance / 4), within(1e-12));
        assertThat(p.zScore()).isCloseTo(0.25 / Math.sqrt(variance / 4), within(1e-12));
        // identical routers: no difference and no spread
        PairedDifference same = PairedDifference.of("a", Evaluator.oracle(D), "b", Evaluator.oracle(D), D);
        assertThat(same.difference()).isZero();
        assertThat(same.zScore()).isZero();
    }

    @Test
    void reportPrintsTheCategoryCeilingAndTheDifferences() {
        RouterResult single = Evaluator.score("best single", Evaluator.always(1, 4), D);
        RouterResult ceiling = Evaluator.score("category ceiling (fit on eval)",
                Evaluator.byCategory(Evaluator.bestPerCategory(D), 1, D), D);
        EvalReport report = new EvalReport("d", 4, List.of(), single, null, Evaluator.score("oracle",
                Evaluator.oracle(D), D), Evaluator.random(D), List.of(), null, null, ceiling,
                List.of(PairedDifference.of("oracle", Evaluator.oracle(D), "best single", Evaluator.always(1, 4), D)));
        assertThat(report.toTable()).contains("category ceiling (fit on eval)").contains("+0.2500 ± 0.2500");
        assertThat(report.toJson()).contains("\"categoryCeiling\"").contains("\"standardError\"");
    }
}
