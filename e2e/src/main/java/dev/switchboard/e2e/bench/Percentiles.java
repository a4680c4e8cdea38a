package dev.switchboard.e2e.bench;

import java.util.Arrays;
import java.util.List;

/** p50/p99/max of a sample of durations in milliseconds. */
record Percentiles(int n, double p50, double p99, double max) {
    static Percentiles of(List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Percentiles(sorted.length, at(sorted, 0.50), at(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms", n, p50, p99, max);
    }

    static String csv(double[] values) {
        return Arrays.toString(values);
    }
}
