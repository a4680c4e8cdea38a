package dev.switchboard.lab.train;

import dev.switchboard.engine.encoder.VectorMath;

import java.util.Random;

/** Lloyd's k-means with k-means++ seeding, squared Euclidean distance. Deterministic for a given seed. */
public final class KMeans {
    private KMeans() {
    }

    /** Returns k centroids (fewer only when there are fewer distinct points than k). */
    public static float[][] fit(float[][] points, int k, int maxIterations, long seed) {
        if (points.length == 0) {
            throw new IllegalArgumentException("k-means needs at least one point");
        }
        k = Math.min(k, points.length);
        int d = points[0].length;
        Random random = new Random(seed);
        float[][] centroids = seed(points, k, random);
        k = centroids.length;
        int[] assignment = new int[points.length];
        java.util.Arrays.fill(assignment, -1);
        for (int iter = 0; iter < maxIterations; iter++) {
            boolean changed = false;
            for (int i = 0; i < points.length; i++) {
                int c = VectorMath.nearest(centroids, points[i]);
                if (c != assignment[i]) {
                    assignment[i] = c;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][d];
            int[] counts = new int[k];
            for (int i = 0; i < points.length; i++) {
                counts[assignment[i]]++;
                float[] p = points[i];
                double[] s = sums[assignment[i]];
                for (int j = 0; j < d; j++) {
                    s[j] += p[j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // an emptied cluster restarts on a random point rather than vanishing
                    centroids[c] = points[random.nextInt(points.length)].clone();
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    centroids[c][j] = (float) (sums[c][j] / counts[c]);
                }
            }
        }
        return centroids;
    }

    private static float[][] seed(float[][] points, int k, Random random) {
        float[][] centroids = new float[k][];
        centroids[0] = points[random.nextInt(points.length)].clone();
        double[] dist = new double[points.length];
        java.util.Arrays.fill(dist, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < points.length; i++) {
                dist[i] = Math.min(dist[i], VectorMath.squaredDistance(points[i], centroids[c - 1]));
                total += dist[i];
            }
            if (total == 0) {
                // all remaining points coincide with a centroid
                float[][] shorter = new float[c][];
                System.arraycopy(centroids, 0, shorter, 0, c);
                return shorter;
            }
            double r = random.nextDouble() * total;
            int pick = points.length - 1;
            for (int i = 0; i < points.length; i++) {
                r -= dist[i];
                if (r <= 0) {
                    pick = i;
                    break;
                }
            }
            centroids[c] = points[pick].clone();
        }
        return centroids;
    }
}
