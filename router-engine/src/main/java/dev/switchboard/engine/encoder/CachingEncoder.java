package dev.switchboard.engine.encoder;

import dev.switchboard.engine.Encoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the embeddings of recently seen texts (least recently used evicted), so rebuilding a routing table does
 * not re-embed the examples that did not change. Bounded by bytes, not only by entries: each entry is keyed by the
 * SHA-256 of its text (never the text itself, which a client controls and may make a megabyte long), so an entry
 * costs the same whatever the text, and the cache holds at most {@code maxBytes} of them. Texts longer than
 * {@link #MAX_CHARS} are clipped (head and tail) before hashing and encoding: the encoders read a few hundred word
 * pieces anyway ({@link TextClipper}), so the embedding is the same. Same id as the wrapped encoder.
 */
public final class CachingEncoder implements Encoder {
    /** Longest text hashed or handed to the delegate; longer ones keep their head and tail. */
    public static final int MAX_CHARS = 8192;
    /** Bytes one entry costs besides its vector: key, map node, array header (measured order of magnitude). */
    static final int ENTRY_OVERHEAD_BYTES = 160;

    private final Encoder delegate;
    /** With {@link #boundedByBytes}: the bytes the entries may hold; else 0. */
    private final long maxBytes;
    /** Entries the cache may hold; 0 until the first embedding tells the size of one (guarded by the cache). */
    private int capacity;
    private final LinkedHashMap<TextHash, float[]> cache;

    /**
     * @param maxBytes memory the cache may hold, entries and keys included. The entry count follows from the first
     *                 embedding's size: asking an endpoint encoder for its dimension up front would call it while a
     *                 routing table is being built.
     */
    public static CachingEncoder boundedByBytes(Encoder delegate, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("cache bytes must be >= 1, got " + maxBytes);
        }
        return new CachingEncoder(delegate, 0, maxBytes);
    }

    public CachingEncoder(Encoder delegate, int capacity) {
        this(delegate, capacity, 0);
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be >= 1, got " + capacity);
        }
    }

    private CachingEncoder(Encoder delegate, int capacity, long maxBytes) {
        this.delegate = delegate;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TextHash, float[]> eldest) {
                return size() > CachingEncoder.this.capacity;
            }
        };
    }

    public Encoder delegate() {
        return delegate;
    }

    /** Entries the cache may hold (with {@link #boundedByBytes}: 0 until the first embedding). */
    public int capacity() {
        synchronized (cache) {
            return capacity;
        }
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[] embed(String text) {
        String clipped = TextClipper.clip(text, MAX_CHARS);
        TextHash key = TextHash.of(clipped);
        float[] hit;
        synchronized (cache) {
            hit = cache.get(key);
        }
        if (hit != null) {
            return hit.clone();
        }
        // Embed outside the lock: two threads may compute the same text once each, which is harmless.
        float[] v = delegate.embed(clipped);
        synchronized (cache) {
            if (capacity == 0) {
                long entry = (long) v.length * Float.BYTES + ENTRY_OVERHEAD_BYTES;
                capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxBytes / entry));
            }
            cache.put(key, v.clone());
        }
        return v;
    }

    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** SHA-256 of a text's UTF-8 bytes: a fixed-size key whatever the text's length. */
    record TextHash(long a, long b, long c, long d) {
        static TextHash of(String text) {
            byte[] h;
            try {
                h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
            return new TextHash(word(h, 0), word(h, 8), word(h, 16), word(h, 24));
        }

        private static long word(byte[] h, int from) {
            long v = 0;
            for (int i = from; i < from + 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
    }
}
