package dev.switchboard.engine.encoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HashingEncoderTest {
    private final HashingEncoder encoder = new HashingEncoder();

    @Test
    void deterministicUnitVectors() {
        float[] a = encoder.embed("Solve the integral of x squared");
        assertThat(a).hasSize(512);
        assertThat(VectorMath.norm(a)).isCloseTo(1.0, within(1e-6));
        assertThat(new HashingEncoder().embed("Solve the integral of x squared")).containsExactly(a);
        assertThat(encoder.id()).isEqualTo("hashing-v1");
        assertThat(new HashingEncoder(64).id()).isEqualTo("hashing-v1-64");
    }

    @Test
    void caseAndPunctuationDoNotMatterButWordsDo() {
        float[] a = encoder.embed("Integral of x?");
        float[] b = encoder.embed("integral OF X");
        assertThat(VectorMath.cosine(a, b)).isCloseTo(1.0, within(1e-6));
        double related = VectorMath.cosine(encoder.embed("compute the integral of x"), a);
        double unrelated = VectorMath.cosine(encoder.embed("write java code"), a);
        assertThat(related).isGreaterThan(0.5);
        assertThat(unrelated).isLessThan(0.2);
    }

    @Test
    void emptyTextGivesZeroVector() {
        assertThat(VectorMath.norm(encoder.embed("  ?! "))).isZero();
    }

    @Test
    void wordsSplitOnNonAlphanumerics() {
        assertThat(HashingEncoder.words("Hello, World! x2-y")).containsExactly("hello", "world", "x2", "y");
    }
}
