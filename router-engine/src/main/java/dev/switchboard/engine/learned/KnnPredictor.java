package dev.switchboard.engine.learned;

/**
 * Per-expert success = similarity-weighted mean of the experts' scores over the k stored points most similar to
 * the query (cosine). Weights are softmax(sim / T) over the k neighbours, times each point's {@code weight} (1 for a
 * training query, the member count for a centroid). Points are unit vectors kept flat for a cache-friendly scan.
 */
public final class KnnPredictor implements QualityPredictor {
    private final float[] points;
    private final int dimension;
    private final int rows;
    private final double[][] scores;
    private final double[] weights;
    private final int k;
    private final double temperature;

    /**
     * @param points  rows x dimension, normalised here
     * @param scores  rows x experts, 0..1
     * @param weights one per row, or null for all 1
     */
    public KnnPredictor(float[][] points, double[][] scores, double[] weights, int k, double temperature) {
        if (points.length == 0 || points.length != scores.length) {
            throw new IllegalArgumentException("knn needs one score row per point, and at least one point");
        }
        if (k < 1 || !(temperature > 0)) {
            throw new IllegalArgumentException("knn needs k >= 1 and temperature > 0 (got k=" + k + ", T="
                    + temperature + ")");
        }
        this.rows = points.length;
        this.dimension = points[0].length;
        this.points = new float[rows * dimension];
        for (int i = 0; i < rows; i++) {
            float[] u = normalised(points[i]);
            System.arraycopy(u, 0, this.points, i * dimension, dimension);
        }
        this.scores = scores;
        this.weights = weights;
        this.k = Math.min(k, rows);
        this.temperature = temperature;
    }

    public int k() {
        return k;
    }

    public double temperature() {
        return temperature;
    }

    /** The stored points nearest to a query, most similar first. */
    public record Neighbours(int[] index, double[] similarity) {
    }

    @Override
    public Prediction predict(float[] embedding) {
        return new Prediction(blend(nearest(embedding), k, temperature), null);
    }

    /** The k nearest points (this predictor's k). */
    public Neighbours nearest(float[] embedding) {
        float[] q = normalised(embedding);
        // top-k by similarity with a small insertion-sorted buffer: k is small next to the number of rows
        int[] idx = new int[k];
        double[] sim = new double[k];
        int filled = 0;
        for (int i = 0; i < rows; i++) {
            double s = dot(q, i * dimension);
            if (filled < k || s > sim[filled - 1]) {
                int pos = filled < k ? filled++ : k - 1;
                while (pos > 0 && sim[pos - 1] < s) {
                    sim[pos] = sim[pos - 1];
                    idx[pos] = idx[pos - 1];
                    pos--;
                }
                sim[pos] = s;
                idx[pos] = i;
            }
        }
        return new Neighbours(java.util.Arrays.copyOf(idx, filled), java.util.Arrays.copyOf(sim, filled));
    }

    /** Weighted mean scores over the first {@code kk} of the neighbours at temperature {@code t}. */
    public double[] blend(Neighbours n, int kk, double t) {
        int[] idx = n.index();
        double[] sim = n.similarity();
        int filled = Math.min(kk, idx.length);
        int m = scores[0].length;
        double[] out = new double[m];
        double total = 0;
        for (int i = 0; i < filled; i++) {
            double w = Math.exp((sim[i] - sim[0]) / t) * (weights == null ? 1 : weights[idx[i]]);
            total += w;
            double[] row = scores[idx[i]];
            for (int j = 0; j < m; j++) {
                out[j] += w * row[j];
            }
        }
        for (int j = 0; j < m; j++) {
            out[j] /= total;
        }
        return out;
    }

    /** Four partial sums: lets the JIT pipeline the multiply-adds of the 384-d scan. */
    private double dot(float[] q, int offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < dimension; j += 4) {
            s0 += q[j] * points[offset + j];
            s1 += q[j + 1] * points[offset + j + 1];
            s2 += q[j + 2] * points[offset + j + 2];
            s3 += q[j + 3] * points[offset + j + 3];
        }
        for (; j < dimension; j++) {
            s0 += q[j] * points[offset + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float[] normalised(float[] v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        float[] u = new float[v.length];
        if (n == 0) {
            return u;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }
}
