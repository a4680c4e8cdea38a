package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.strategy.CoeFallbackCalibration.Selection;
import dev.switchboard.engine.strategy.CoeFallbackCalibration.Setting;
import dev.switchboard.engine.strategy.FallbackRates.Seen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-runs the selection of the example policy's uncertainty setting ({@link CoeFallbackCalibration}) on the
 * calibration split and prints its table, then the rates of the chosen setting, the previous one (margin &lt; 0.15)
 * and no rule at all on both splits:
 * <pre>
 *   mvn -B -ntp -q -pl router-engine -am verify -Dtest=CoeFallbackCalibrationTest \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Fails when deploy/examples/policies/category-policy.yaml no longer holds what the procedure selects (new questions,
 * new category texts, another encoder): re-run, then update the policy and docs/benchmarks.md with the output.
 */
class CoeFallbackCalibrationTest {
    @Test
    void theExamplePolicyHoldsTheSettingSelectedOnTheCalibrationSplit() {
        String fallback = CoeFallbackCalibration.fallback();
        Map<Double, List<Seen>> calibration = CoeFallbackCalibration.observe(
                CoeQuestion.load(CoeQuestion.CALIBRATION), CoeFallbackCalibration.TEMPERATURES);
        Selection selection = CoeFallbackCalibration.select(calibration, fallback);
        Setting chosen = selection.chosen().setting();
        System.out.println(CoeFallbackCalibration.table(selection));

        // the chosen setting against the previous one (same category texts) and against no rule, on both splits
        List<Setting> compared = List.of(chosen, new Setting(Uncertainty.MARGIN, 0.15, 0.05),
                new Setting(Uncertainty.MARGIN, 0, 0.05));
        List<Double> temperatures = compared.stream().map(Setting::temperature).distinct().toList();
        for (String split : List.of(CoeQuestion.CALIBRATION, CoeQuestion.EVALUATION)) {
            Map<Double, List<Seen>> seen = CoeFallbackCalibration.observe(CoeQuestion.load(split), temperatures);
            for (Setting s : compared) {
                System.out.printf("%-11s %-36s %s%n", split, s.threshold() == 0 ? "no uncertainty rule" : s,
                        FallbackRates.of(seen.get(s.temperature()), s.metric(), s.threshold(), fallback));
            }
        }

        RoutingPolicySpec shipped = Fixtures.examplePolicy(CoeFallbackCalibration.POLICY).getSpec();
        assertThat(new Setting(shipped.strategy.uncertainty.metric, shipped.strategy.uncertainty.threshold,
                shipped.strategy.category.temperature)).as("category-policy.yaml's setting").isEqualTo(chosen);
    }
}
