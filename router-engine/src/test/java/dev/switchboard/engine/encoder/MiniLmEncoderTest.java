package dev.switchboard.engine.encoder;

import dev.switchboard.api.v1alpha1.EmbeddingSpec;
import dev.switchboard.engine.Encoder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MiniLmEncoderTest {
    @Test
    void unitVectorsThatCaptureMeaning() {
        MiniLmEncoder encoder = Encoders.miniLm();
        assertThat(encoder.id()).isEqualTo("all-minilm-l6-v2-q");
        float[] v = encoder.embed("What is the derivative of x squared?");
        assertThat(v).hasSize(384);
        assertThat(VectorMath.norm(v)).isCloseTo(1.0, within(1e-4));
        double close = VectorMath.cosine(v, encoder.embed("Differentiate x^2 with respect to x"));
        double far = VectorMath.cosine(v, encoder.embed("Book me a table at an Italian restaurant"));
        assertThat(close).isGreaterThan(far + 0.3);
        assertThat(VectorMath.norm(encoder.embed("   "))).isZero();
    }

    @Test
    void threadSafe() throws Exception {
        MiniLmEncoder encoder = Encoders.miniLm();
        float[] expected = encoder.embed("concurrent embedding");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = pool.invokeAll(java.util.Collections.nCopies(16,
                    () -> encoder.embed("concurrent embedding")));
            for (Future<float[]> f : futures) {
                float[] got = f.get();
                for (int i = 0; i < got.length; i++) {
                    assertThat(got[i]).isCloseTo(expected[i], within(1e-5f));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forSpecSharesOneCachedInstance() {
        Encoder byDefault = Encoders.forSpec(null);
        EmbeddingSpec spec = new EmbeddingSpec();
        spec.builtin = "all-minilm-l6-v2-q";
        assertThat(Encoders.forSpec(spec)).isSameAs(byDefault).isInstanceOf(CachingEncoder.class);
        assertThat(byDefault.id()).isEqualTo(MiniLmEncoder.ID);
        spec.builtin = "hashing";
        assertThat(Encoders.forSpec(spec).id()).isEqualTo("hashing-v1");
        spec.builtin = "word2vec";
        assertThatThrownBy(() -> Encoders.forSpec(spec)).hasMessageContaining("spec.embedding.builtin")
                .hasMessageContaining("word2vec");
    }
}
