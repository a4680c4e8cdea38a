package dev.switchboard.engine.encoder;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedding cache is bounded by bytes whatever the texts: keys are hashes of clipped texts. */
class CachingEncoderBoundTest {
    @Test
    void distinctMegabyteTextsDoNotGrowTheHeap() {
        CachingEncoder cache = CachingEncoder.boundedByBytes(new HashingEncoder(), 1L << 20);
        String filler = "y".repeat(1_000_000);
        System.gc();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (int i = 0; i < 200; i++) {
            cache.embed(i + " " + filler + " " + i);
        }
        System.gc();
        long grown = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - before;
        assertThat(cache.size()).isEqualTo(200).isLessThanOrEqualTo(cache.capacity());
        // kept by text, 200 texts of 1 MB would hold over 200 MB
        assertThat(grown).isLessThan(32L << 20);
    }

    @Test
    void theSameClippedTextHitsTheCache() {
        CachingEncoder cache = CachingEncoder.boundedByBytes(new HashingEncoder(), 1L << 20);
        String head = "h".repeat(CachingEncoder.MAX_CHARS);
        cache.embed(head + "middle one" + head);
        cache.embed(head + "middle two" + head); // differs only where clipping drops it
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.capacity()).isLessThan(2000);
    }

    @Test
    void theBoundFollowsTheFirstEmbeddingWithoutAskingTheEncoderUpFront() {
        HashingEncoder hashing = new HashingEncoder();
        dev.switchboard.engine.Encoder remote = new dev.switchboard.engine.Encoder() {
            @Override
            public String id() {
                return "remote";
            }

            @Override
            public int dimension() {
                throw new AssertionError("an endpoint encoder would be called while the table is built");
            }

            @Override
            public float[] embed(String text) {
                return hashing.embed(text);
            }
        };
        CachingEncoder cache = CachingEncoder.boundedByBytes(remote, 1L << 20);
        assertThat(cache.capacity()).isZero();
        cache.embed("first");
        long entry = (long) hashing.embed("x").length * Float.BYTES + CachingEncoder.ENTRY_OVERHEAD_BYTES;
        assertThat(cache.capacity()).isEqualTo((int) ((1L << 20) / entry));
    }
}
