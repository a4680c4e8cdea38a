package dev.switchboard.engine.strategy;

import dev.switchboard.engine.Encoder;

/**
 * Synthetic encoder for tests: words "f0".."f7" switch on feature dimensions (tag directions); every other word adds
 * a small deterministic jitter, so queries of one tag are close but not identical.
 */
public final class TagEncoder implements Encoder {
    public static final String ID = "test-tags-v1";
    public static final int DIM = 8;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIM;
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[DIM];
        for (String w : text.split("\\s+")) {
            if (w.matches("f[0-7]")) {
                v[w.charAt(1) - '0'] += 1f;
            } else if (!w.isEmpty()) {
                java.util.Random r = new java.util.Random(w.hashCode());
                for (int j = 0; j < DIM; j++) {
                    v[j] += (float) (r.nextGaussian() * 0.05);
                }
            }
        }
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        n = Math.sqrt(n);
        if (n > 0) {
            for (int j = 0; j < DIM; j++) {
                v[j] /= (float) n;
            }
        }
        return v;
    }
}
