package dev.switchboard.engine.strategy;

import java.util.List;
import java.util.Locale;

/**
 * How many clear and unclear questions an uncertainty rule sends to the right expert, and how many unclear ones
 * reach the generalist through the rule itself (the others that reach it were classified {@code general} with
 * confidence).
 */
record FallbackRates(int clearOk, int clear, int unclearOk, int unclearViaRule, int unclear) {
    static final FallbackRates NONE = new FallbackRates(0, 0, 0, 0, 0);

    /** A question's decision with the uncertainty rule off, and the category probabilities behind it. */
    record Seen(CoeQuestion question, String expert, String category, double[] probabilities) {
        double confidence(String metric) {
            return Uncertainty.confidence(metric, probabilities);
        }

        /** What the strategy does with this rule: fall back when the confidence is below the threshold. */
        boolean fallsBack(String metric, double threshold) {
            return confidence(metric) < threshold;
        }

        /**
         * Whether the question reaches its expected expert: a specialist only with confidence; the generalist (what
         * every unclear question expects) by the rule or by a confident {@code general} classification.
         */
        boolean right(String metric, double threshold, String fallback) {
            boolean unsure = fallsBack(metric, threshold);
            if (question.expected().equals(fallback)) {
                return unsure || expert.equals(fallback);
            }
            return !unsure && expert.equals(question.expected());
        }
    }

    static FallbackRates of(List<Seen> seen, String metric, double threshold, String fallback) {
        FallbackRates r = NONE;
        for (Seen s : seen) {
            int ok = s.right(metric, threshold, fallback) ? 1 : 0;
            r = s.question().clear() ? r.plus(new FallbackRates(ok, 1, 0, 0, 0))
                    : r.plus(new FallbackRates(0, 0, ok, s.fallsBack(metric, threshold) ? 1 : 0, 1));
        }
        return r;
    }

    FallbackRates plus(FallbackRates o) {
        return new FallbackRates(clearOk + o.clearOk, clear + o.clear, unclearOk + o.unclearOk,
                unclearViaRule + o.unclearViaRule, unclear + o.unclear);
    }

    double clearRate() {
        return clear == 0 ? 0 : (double) clearOk / clear;
    }

    double unclearRate() {
        return unclear == 0 ? 0 : (double) unclearOk / unclear;
    }

    /** Balanced accuracy: both sets weigh the same whatever their sizes. */
    double objective() {
        return (clearRate() + unclearRate()) / 2;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "clear→expert %d/%d (%.3f), unclear→generalist %d/%d (%.3f; %d by the "
                + "rule), balanced %.3f", clearOk, clear, clearRate(), unclearOk, unclear, unclearRate(),
                unclearViaRule, objective());
    }
}
