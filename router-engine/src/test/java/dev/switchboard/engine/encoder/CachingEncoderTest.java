package dev.switchboard.engine.encoder;

import dev.switchboard.engine.Encoder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CachingEncoderTest {
    /** Counts real embeddings so the test sees hits and evictions. */
    static final class CountingEncoder implements Encoder {
        final HashingEncoder inner = new HashingEncoder();
        final AtomicInteger calls = new AtomicInteger();

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
    void hitsAvoidReembeddingAndLeastRecentlyUsedIsEvicted() {
        CountingEncoder counting = new CountingEncoder();
        CachingEncoder cache = new CachingEncoder(counting, 2);
        assertThat(cache.id()).isEqualTo("hashing-v1");
        float[] a = cache.embed("a");
        cache.embed("b");
        assertThat(cache.embed("a")).containsExactly(a);
        assertThat(counting.calls).hasValue(2);
        cache.embed("c"); // evicts b, the least recently used
        cache.embed("a");
        assertThat(counting.calls).hasValue(3);
        cache.embed("b");
        assertThat(counting.calls).hasValue(4);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void callersCannotCorruptTheCache() {
        CachingEncoder cache = new CachingEncoder(new HashingEncoder(), 10);
        float[] first = cache.embed("hello world");
        float[] copy = first.clone();
        first[0] = 42;
        assertThat(cache.embed("hello world")).containsExactly(copy);
    }
}
