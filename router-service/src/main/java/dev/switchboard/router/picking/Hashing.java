package dev.switchboard.router.picking;

/** 64-bit hashing for prompt blocks and rendezvous scores: FNV-1a over chars, finished with a strong mixer. */
final class Hashing {
    private Hashing() {
    }

    /** FNV-1a of {@code text[from, to)}. */
    static long fnv(CharSequence text, int from, int to) {
        long h = 0xCBF29CE484222325L;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            h ^= c & 0xFF;
            h *= 0x100000001B3L;
            h ^= c >>> 8;
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** The SplitMix64 finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Rendezvous (highest random weight) score of a key on an endpoint: the endpoint with the highest score owns the
     * key. Removing an endpoint moves only the keys it owned; every router computes the same owner.
     */
    static long rendezvous(long key, String endpoint) {
        Long h = ENDPOINTS.get(endpoint);
        if (h == null) {
            h = mix(fnv(endpoint, 0, endpoint.length()));
            if (ENDPOINTS.size() > 10_000) {
                ENDPOINTS.clear();
            }
            ENDPOINTS.put(endpoint, h);
        }
        return mix(key ^ h);
    }

    private static final java.util.Map<String, Long> ENDPOINTS = new java.util.concurrent.ConcurrentHashMap<>();
}
