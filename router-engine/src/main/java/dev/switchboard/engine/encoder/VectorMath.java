package dev.switchboard.engine.encoder;

/** Small dense-vector helpers shared by encoders, strategies and trainers. */
public final class VectorMath {
    private VectorMath() {
    }

    public static double dot(float[] a, float[] b) {
        requireSameLength(a, b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    public static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /** Cosine similarity; 0 when either vector is all zeros. */
    public static double cosine(float[] a, float[] b) {
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot(a, b) / (na * nb);
    }

    /** Scales {@code v} in place to unit length (left unchanged when all zeros) and returns it. */
    public static float[] normaliseInPlace(float[] v) {
        double n = norm(v);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / n);
            }
        }
        return v;
    }

    /** A unit-length copy of {@code v}. */
    public static float[] normalise(float[] v) {
        return normaliseInPlace(v.clone());
    }

    /** softmax(x / temperature), computed stably. */
    public static double[] softmax(double[] x, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("softmax temperature must be > 0, got " + temperature);
        }
        double[] out = new double[x.length];
        if (x.length == 0) {
            return out;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp((x[i] - max) / temperature);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    public static double[] softmax(double[] x) {
        return softmax(x, 1.0);
    }

    /** Index of the largest value (first one on ties), -1 for an empty array. */
    public static int argmax(double[] x) {
        int best = -1;
        for (int i = 0; i < x.length; i++) {
            if (best < 0 || x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the row of {@code centroids} nearest to {@code x} (squared Euclidean distance; first on ties). */
    public static int nearest(float[][] centroids, float[] x) {
        int best = 0;
        double bestDist = Double.MAX_VALUE;
        for (int c = 0; c < centroids.length; c++) {
            double dd = squaredDistance(centroids[c], x);
            if (dd < bestDist) {
                bestDist = dd;
                best = c;
            }
        }
        return best;
    }

    public static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] - b[j];
            s += diff * diff;
        }
        return s;
    }

    private static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " vs " + b.length);
        }
    }
}
