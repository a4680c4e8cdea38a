package dev.switchboard.engine.encoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VectorMathTest {
    @Test
    void dotCosineAndNormalise() {
        float[] a = {3, 4};
        float[] b = {4, 3};
        assertThat(VectorMath.dot(a, b)).isEqualTo(24.0);
        assertThat(VectorMath.cosine(a, b)).isCloseTo(24.0 / 25.0, within(1e-9));
        assertThat(VectorMath.normalise(a)).containsExactly(0.6f, 0.8f);
        assertThat(a).containsExactly(3f, 4f);
        assertThat(VectorMath.cosine(new float[2], b)).isZero();
        assertThatThrownBy(() -> VectorMath.dot(a, new float[3])).hasMessageContaining("2 vs 3");
    }

    @Test
    void softmaxWithTemperature() {
        double[] p = VectorMath.softmax(new double[]{1, 0}, 1.0);
        assertThat(p[0]).isCloseTo(Math.E / (Math.E + 1), within(1e-12));
        double[] sharp = VectorMath.softmax(new double[]{0.5, 0.4}, 0.05);
        // exp(0.1/0.05) = e^2
        assertThat(sharp[0]).isCloseTo(Math.exp(2) / (Math.exp(2) + 1), within(1e-12));
        assertThat(VectorMath.softmax(new double[]{1000, 999}, 1.0)[0]).isCloseTo(Math.E / (Math.E + 1), within(1e-12));
        assertThatThrownBy(() -> VectorMath.softmax(new double[]{1}, 0)).hasMessageContaining("temperature");
    }

    @Test
    void argmaxTakesFirstOnTies() {
        assertThat(VectorMath.argmax(new double[]{1, 3, 3, 2})).isEqualTo(1);
        assertThat(VectorMath.argmax(new double[0])).isEqualTo(-1);
    }
}
