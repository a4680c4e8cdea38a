package dev.switchboard.engine.encoder;

import dev.switchboard.engine.Encoder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the embeddings of recently seen texts (bounded, least recently used evicted), so rebuilding a
 * routing table does not re-embed the examples that did not change. Same id as the wrapped encoder.
 */
public final class CachingEncoder implements Encoder {
    private final Encoder delegate;
    private final int capacity;
    private final LinkedHashMap<String, float[]> cache;

    public CachingEncoder(Encoder delegate, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be >= 1, got " + capacity);
        }
        this.delegate = delegate;
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > CachingEncoder.this.capacity;
            }
        };
    }

    public Encoder delegate() {
        return delegate;
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
        float[] hit;
        synchronized (cache) {
            hit = cache.get(text);
        }
        if (hit != null) {
            return hit.clone();
        }
        // Embed outside the lock: two threads may compute the same text once each, which is harmless.
        float[] v = delegate.embed(text);
        synchronized (cache) {
            cache.put(text, v.clone());
        }
        return v;
    }

    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
