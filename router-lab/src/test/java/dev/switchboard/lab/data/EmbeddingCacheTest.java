package dev.switchboard.lab.data;

import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.strategy.TagEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingCacheTest {
    @TempDir
    Path dir;

    /** Counts calls, so the test sees which texts reached the encoder. */
    static final class CountingEncoder implements Encoder {
        final AtomicInteger calls = new AtomicInteger();
        private final Encoder inner = new TagEncoder();

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public float[] embed(String text) {
            calls.incrementAndGet();
            return inner.embed(text);
        }
    }

    @Test
    void secondRunReadsEmbeddingsFromDiskAndOnlyEmbedsNewTexts() {
        List<String> texts = List.of("f0 a", "f1 b", "f2 c", "f0 a");
        CountingEncoder first = new CountingEncoder();
        List<Integer> progress = new ArrayList<>();
        EmbeddingCache cache = new EmbeddingCache(first, dir);
        int probe = first.calls.get(); // the encoder fingerprint
        float[][] x = cache.embedAll(texts, 2, progress::add);
        assertThat(first.calls.get() - probe).isEqualTo(3); // the duplicate is embedded once
        assertThat(x[0]).isEqualTo(x[3]).isEqualTo(new TagEncoder().embed("f0 a"));
        assertThat(progress).last().isEqualTo(4);

        CountingEncoder second = new CountingEncoder();
        EmbeddingCache reopened = new EmbeddingCache(second, dir);
        assertThat(reopened.size()).isEqualTo(3);
        float[][] y = reopened.embedAll(List.of("f0 a", "f1 b", "f3 new"), 1, i -> { });
        assertThat(second.calls.get() - probe).isEqualTo(1);
        assertThat(y[1]).isEqualTo(x[1]);
        assertThat(y[2]).isEqualTo(new TagEncoder().embed("f3 new"));
    }
}
