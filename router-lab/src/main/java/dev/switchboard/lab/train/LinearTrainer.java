package dev.switchboard.lab.train;

import dev.switchboard.engine.learned.LinearModel;

import java.util.Random;

/**
 * Fits a {@link LinearModel} to soft targets by minimising cross-entropy (binary per output for SIGMOID, categorical
 * for SOFTMAX, i.e. KL to the target distribution) plus L2, with mini-batch Adam. Both losses have the gradient
 * (p - t) x, so one loop serves logistic and softmax regression.
 */
public final class LinearTrainer {
    /** Hyper-parameters; l2 is the weight-decay coefficient per example. */
    public record Options(int epochs, double learningRate, double l2, int batchSize, long seed) {
        public static final Options DEFAULT = new Options(60, 0.01, 1e-4, 64, 42);

        public Options withL2(double value) {
            return new Options(epochs, learningRate, value, batchSize, seed);
        }

        public Options withEpochs(int value) {
            return new Options(value, learningRate, l2, batchSize, seed);
        }
    }

    static final int MIN_STEPS = 1000;

    private LinearTrainer() {
    }

    public static LinearModel train(LinearModel.Link link, float[][] x, double[][] targets, Options o) {
        if (x.length == 0 || x.length != targets.length) {
            throw new IllegalArgumentException("need as many target rows as feature rows, and at least one");
        }
        int n = x.length;
        int d = x[0].length;
        int m = targets[0].length;
        double[][] w = new double[m][d];
        double[] b = new double[m];
        double[][] mw = new double[m][d];
        double[][] vw = new double[m][d];
        double[] mb = new double[m];
        double[] vb = new double[m];
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(o.seed());
        LinearModel model = new LinearModel(link, w, b);
        double[][] gw = new double[m][d];
        double[] gb = new double[m];
        long step = 0;
        // small data sets get more passes: at least MIN_STEPS optimiser steps whatever the epoch count
        int batchesPerEpoch = (n + o.batchSize() - 1) / o.batchSize();
        int epochs = Math.max(o.epochs(), (MIN_STEPS + batchesPerEpoch - 1) / batchesPerEpoch);
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < n; start += o.batchSize()) {
                int end = Math.min(n, start + o.batchSize());
                for (int k = 0; k < m; k++) {
                    java.util.Arrays.fill(gw[k], 0);
                }
                java.util.Arrays.fill(gb, 0);
                for (int t = start; t < end; t++) {
                    int i = order[t];
                    double[] p = model.predict(x[i]);
                    for (int k = 0; k < m; k++) {
                        double g = p[k] - targets[i][k];
                        gb[k] += g;
                        double[] row = gw[k];
                        float[] xi = x[i];
                        for (int j = 0; j < d; j++) {
                            row[j] += g * xi[j];
                        }
                    }
                }
                double inv = 1.0 / (end - start);
                step++;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (int k = 0; k < m; k++) {
                    for (int j = 0; j < d; j++) {
                        double g = gw[k][j] * inv + o.l2() * w[k][j];
                        mw[k][j] = beta1 * mw[k][j] + (1 - beta1) * g;
                        vw[k][j] = beta2 * vw[k][j] + (1 - beta2) * g * g;
                        w[k][j] -= o.learningRate() * (mw[k][j] / c1) / (Math.sqrt(vw[k][j] / c2) + eps);
                    }
                    double g = gb[k] * inv;
                    mb[k] = beta1 * mb[k] + (1 - beta1) * g;
                    vb[k] = beta2 * vb[k] + (1 - beta2) * g * g;
                    b[k] -= o.learningRate() * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + eps);
                }
            }
        }
        return model;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
