package dev.switchboard.engine.encoder;

import dev.switchboard.api.v1alpha1.EmbeddingSpec;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.engine.Encoder;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Picks the encoder for a policy's spec.embedding. Encoders are shared per JVM (the ONNX model loads once) and
 * wrapped in a {@link CachingEncoder}, so rebuilding a routing table does not re-embed unchanged examples.
 */
public final class Encoders {
    public static final String DEFAULT_BUILTIN = MiniLmEncoder.ID;
    /**
     * Memory each encoder's cache may hold: 16 MiB is about 10,000 embeddings at 384 dimensions (all examples plus
     * recent repeated queries). Entries are keyed by a hash, so a long text costs no more than a short one.
     */
    static final long CACHE_BYTES = 16L << 20;

    private static final Map<String, Encoder> SHARED = new ConcurrentHashMap<>();

    private Encoders() {
    }

    /** The raw (uncached) MiniLM encoder, loaded on first use. */
    public static MiniLmEncoder miniLm() {
        return MiniLmHolder.INSTANCE;
    }

    /** A separate MiniLM instance with its own ONNX session, e.g. to compare thread settings in benchmarks. */
    public static MiniLmEncoder newMiniLm(int intraOpThreads) {
        return new MiniLmEncoder(intraOpThreads);
    }

    /**
     * ONNX intra-op threads per embedding: system property switchboard.encoder.threads, else environment variable
     * SWITCHBOARD_ENCODER_THREADS, else 1 (a router embeds many requests at once: one core each beats all
     * requests fighting over every core).
     */
    static int configuredThreads() {
        String value = System.getProperty("switchboard.encoder.threads", System.getenv("SWITCHBOARD_ENCODER_THREADS"));
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("switchboard.encoder.threads / SWITCHBOARD_ENCODER_THREADS must be a "
                    + "number >= 0 (0 = all cores), got '" + value + "'");
        }
    }

    /** The cached shared encoder for a spec without a secret (endpoint without an API key). */
    public static Encoder forSpec(EmbeddingSpec spec) {
        return forSpec(spec, ref -> Optional.empty());
    }

    /**
     * The cached shared encoder for {@code spec} (null means the default builtin). {@code secrets} resolves the
     * endpoint's apiKeySecretRef. Throws IllegalArgumentException naming the field when the spec is unusable.
     */
    public static Encoder forSpec(EmbeddingSpec spec, Function<SecretKeyRef, Optional<String>> secrets) {
        if (spec != null && spec.builtin != null && spec.endpoint != null) {
            throw new IllegalArgumentException("spec.embedding: builtin and endpoint are mutually exclusive");
        }
        if (spec != null && spec.endpoint != null) {
            EmbeddingSpec.EmbeddingEndpoint ep = spec.endpoint;
            String apiKey = null;
            if (ep.apiKeySecretRef != null) {
                apiKey = secrets.apply(ep.apiKeySecretRef).orElseThrow(() -> new IllegalArgumentException(
                        "spec.embedding.endpoint.apiKeySecretRef: Secret " + ep.apiKeySecretRef.name + " key "
                                + ep.apiKeySecretRef.key + " not found"));
            }
            String key = "endpoint|" + ep.url + "|" + ep.model + "|" + (apiKey == null ? "" : apiKey.hashCode());
            String finalKey = apiKey;
            try {
                return SHARED.computeIfAbsent(key, k -> CachingEncoder.boundedByBytes(
                        new OpenAiEmbeddingsEncoder(ep.url, ep.model, finalKey), CACHE_BYTES));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("spec.embedding.endpoint: " + e.getMessage(), e);
            }
        }
        String builtin = spec == null || spec.builtin == null ? DEFAULT_BUILTIN : spec.builtin;
        return builtin(builtin);
    }

    /** A shared cached builtin encoder by name: all-minilm-l6-v2-q or hashing. */
    public static Encoder builtin(String name) {
        return switch (name) {
            case MiniLmEncoder.ID -> SHARED.computeIfAbsent("builtin|" + name,
                    k -> CachingEncoder.boundedByBytes(miniLm(), CACHE_BYTES));
            // Hashing is cheaper than a cache lookup, so it is not wrapped.
            case "hashing", HashingEncoder.ID -> SHARED.computeIfAbsent("builtin|hashing", k -> new HashingEncoder());
            default -> throw new IllegalArgumentException("spec.embedding.builtin: unknown encoder '" + name
                    + "', expected all-minilm-l6-v2-q or hashing");
        };
    }

    private static final class MiniLmHolder {
        static final MiniLmEncoder INSTANCE = new MiniLmEncoder(configuredThreads());
    }
}
