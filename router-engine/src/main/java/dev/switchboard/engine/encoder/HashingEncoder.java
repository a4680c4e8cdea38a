package dev.switchboard.engine.encoder;

import dev.switchboard.engine.Encoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lexical encoder without a model: lower-cased word unigrams and bigrams, signed feature hashing into a fixed
 * number of dimensions, L2-normalised. Deterministic across JVMs and fast, so unit tests and the builtin
 * "hashing" embedding use it; it only knows shared words, not meaning.
 */
public final class HashingEncoder implements Encoder {
    public static final String ID = "hashing-v1";
    public static final int DEFAULT_DIMENSION = 512;

    private final int dimension;

    public HashingEncoder() {
        this(DEFAULT_DIMENSION);
    }

    public HashingEncoder(int dimension) {
        if (dimension < 8) {
            throw new IllegalArgumentException("hashing encoder dimension must be >= 8, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public String id() {
        return dimension == DEFAULT_DIMENSION ? ID : ID + "-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot embed null text");
        }
        float[] v = new float[dimension];
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            add(v, words.get(i));
            if (i + 1 < words.size()) {
                add(v, words.get(i) + ' ' + words.get(i + 1));
            }
        }
        return VectorMath.normaliseInPlace(v);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                words.add(lower.substring(start, i));
                start = -1;
            }
        }
        return words;
    }

    private void add(float[] v, String feature) {
        long h = fnv1a64(feature);
        int index = (int) Long.remainderUnsigned(h, dimension);
        // An independent bit picks the sign, so colliding features tend to cancel rather than pile up.
        v[index] += ((h >>> 63) == 0) ? 1f : -1f;
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        // Final avalanche so the top (sign) bit depends on every byte.
        h ^= (h >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= (h >>> 33);
        return h;
    }
}
