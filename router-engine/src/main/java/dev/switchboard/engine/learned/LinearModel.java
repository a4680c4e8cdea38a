package dev.switchboard.engine.learned;

/**
 * m linear scorers over d features with a link: SIGMOID gives m independent success probabilities (multi-label
 * logistic regression), SOFTMAX one distribution over m experts (softmax regression).
 */
public record LinearModel(Link link, double[][] weights, double[] bias) {
    public enum Link { SIGMOID, SOFTMAX }

    public double[] predict(float[] x) {
        double[] z = new double[bias.length];
        for (int k = 0; k < z.length; k++) {
            double[] w = weights[k];
            double s = bias[k];
            for (int j = 0; j < w.length; j++) {
                s += w[j] * x[j];
            }
            z[k] = s;
        }
        return apply(link, z);
    }

    static double[] apply(Link link, double[] z) {
        if (link == Link.SIGMOID) {
            for (int k = 0; k < z.length; k++) {
                z[k] = 1.0 / (1.0 + Math.exp(-z[k]));
            }
            return z;
        }
        return softmax(z, 1.0);
    }

    public static double[] softmax(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp((z[k] - max) / temperature);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
