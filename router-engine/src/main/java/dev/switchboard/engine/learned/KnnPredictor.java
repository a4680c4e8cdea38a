package dev.switchboard.engine.learned;

/**
 * Per-expert success = similarity-weighted mean of the experts' scores over the k stored points most similar to
 * the query (cosine). Weights are softmax(sim / T) over the k neighbours, times each point's {@code weight} (1 for a
 * training query, the member count for a centroid). Points are unit vectors stored dimension-major: the similarities
 * to all points are d element-wise multiply-adds over a rows-long array, with no per-row floating-point reduction
 * chain. A full scan of 7k x 384 floats still costs about 1 ms (memory-bound); the centroid variant is ~14x cheaper.
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
            for (int j = 0; j < dimension; j++) {
                this.points[j * rows + i] = u[j];
            }
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
        float[] all = new float[rows];
        for (int j = 0; j < dimension; j++) {
            axpy(q[j], j * rows, all);
        }
        // top-k by similarity with a small insertion-sorted buffer: k is small next to the number of rows
        int[] idx = new int[k];
        double[] sim = new double[k];
        int filled = 0;
        for (int i = 0; i < rows; i++) {
            double s = all[i];
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

    private void axpy(float a, int offset, float[] acc) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += a * points[offset + i];
        }
    }

    /** A unit-length copy of {@code v} (all zeros stays zeros), as the predictor stores its points. */
    public static float[] normalised(float[] v) {
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
