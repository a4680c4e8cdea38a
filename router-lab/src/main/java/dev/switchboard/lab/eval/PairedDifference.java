package dev.switchboard.lab.eval;

/**
 * How much better a router is than a baseline on the same queries, with the paired standard error of that
 * difference. Two routers scored on the same rows are strongly correlated, so the paired error is far smaller than
 * the errors of the two accuracies; a difference within about two standard errors is not a demonstrated gain.
 */
public record PairedDifference(String router, String baseline, double difference, double standardError) {

    public static PairedDifference of(String router, int[] routerChoice, String baseline, int[] baselineChoice,
                                      EvalData d) {
        int n = d.size();
        if (n < 2) {
            return new PairedDifference(router, baseline, 0, Double.NaN);
        }
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double diff = d.scores()[i][routerChoice[i]] - d.scores()[i][baselineChoice[i]];
            sum += diff;
            sumSq += diff * diff;
        }
        double mean = sum / n;
        double variance = (sumSq - n * mean * mean) / (n - 1);
        return new PairedDifference(router, baseline, mean, Math.sqrt(Math.max(0, variance) / n));
    }

    /** Difference in standard errors (0 when both routers agree on every row). */
    public double zScore() {
        return standardError > 0 ? difference / standardError : 0;
    }
}
