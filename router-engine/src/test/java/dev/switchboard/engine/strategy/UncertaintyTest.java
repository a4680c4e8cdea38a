package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.UncertaintySpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UncertaintyTest {
    private static final double[] P = {0.2, 0.5, 0.3};

    @Test
    void maxProbMarginAndEntropyByHand() {
        assertThat(Uncertainty.confidence("maxProb", P)).isEqualTo(0.5);
        assertThat(Uncertainty.confidence("margin", P)).isCloseTo(0.2, within(1e-12));
        // H = -(0.2 ln 0.2 + 0.5 ln 0.5 + 0.3 ln 0.3) = 1.0296530; ln 3 = 1.0986123
        assertThat(Uncertainty.confidence("entropy", P)).isCloseTo(1 - 1.0296530 / 1.0986123, within(1e-6));
        assertThat(Uncertainty.confidence("entropy", new double[]{1, 0, 0})).isCloseTo(1.0, within(1e-12));
        assertThat(Uncertainty.confidence("entropy", new double[]{0.25, 0.25, 0.25, 0.25})).isCloseTo(0, within(1e-12));
        assertThat(Uncertainty.confidence("margin", new double[]{0.5, 0.5})).isZero();
        assertThat(Uncertainty.confidence("margin", new double[]{1.0})).isEqualTo(1.0);
    }

    @Test
    void thresholdFromSpec() {
        UncertaintySpec spec = new UncertaintySpec();
        spec.metric = "margin";
        spec.threshold = 0.25;
        Uncertainty u = Uncertainty.of(spec);
        assertThat(u.confidence(P)).isCloseTo(0.2, within(1e-12));
        assertThat(u.unsure(0.2)).isTrue();
        assertThat(u.unsure(0.25)).isFalse();
        assertThat(Uncertainty.NONE.unsure(0)).isFalse();
        spec.metric = "variance";
        assertThatThrownBy(() -> Uncertainty.of(spec)).hasMessageContaining("spec.strategy.uncertainty.metric");
        spec.metric = null;
        spec.threshold = null;
        assertThatThrownBy(() -> Uncertainty.of(spec)).hasMessageContaining("spec.strategy.uncertainty.threshold");
    }
}
