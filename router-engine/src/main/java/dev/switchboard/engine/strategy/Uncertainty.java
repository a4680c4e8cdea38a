package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.UncertaintySpec;
import dev.switchboard.engine.InvalidPolicyException;

/**
 * How sure a probability distribution is, per strategy.uncertainty.metric, and whether that is below the
 * threshold that sends the query to the fallback.
 *
 * @param threshold confidence below this falls back; NaN when the policy has no uncertainty setting
 */
public record Uncertainty(String metric, double threshold) {
    public static final String MAX_PROB = "maxProb";
    public static final String MARGIN = "margin";
    public static final String ENTROPY = "entropy";

    public static final Uncertainty NONE = new Uncertainty(MAX_PROB, Double.NaN);

    /** From spec.strategy.uncertainty (may be null); throws naming the field when invalid. */
    public static Uncertainty of(UncertaintySpec spec) {
        if (spec == null) {
            return NONE;
        }
        String metric = spec.metric == null ? MAX_PROB : spec.metric;
        if (!metric.equals(MAX_PROB) && !metric.equals(MARGIN) && !metric.equals(ENTROPY)) {
            throw new InvalidPolicyException("spec.strategy.uncertainty.metric: '" + metric
                    + "' is not one of maxProb, margin, entropy");
        }
        if (spec.threshold == null || spec.threshold < 0 || spec.threshold > 1) {
            throw new InvalidPolicyException("spec.strategy.uncertainty.threshold: must be set between 0 and 1, got "
                    + spec.threshold);
        }
        return new Uncertainty(metric, spec.threshold);
    }

    public double confidence(double[] probabilities) {
        return confidence(metric, probabilities);
    }

    /** True when a threshold is set and {@code confidence} is below it. */
    public boolean unsure(double confidence) {
        return !Double.isNaN(threshold) && confidence < threshold;
    }

    /**
     * maxProb: the top probability; margin: top minus second; entropy: 1 - H(p)/ln(n), so 1 means certain and 0
     * uniform. A single outcome is certain under every metric.
     */
    public static double confidence(String metric, double[] p) {
        if (p.length == 0) {
            return 0;
        }
        if (p.length == 1) {
            return 1;
        }
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return switch (metric) {
            case MAX_PROB -> first;
            case MARGIN -> first - second;
            case ENTROPY -> {
                double h = 0;
                for (double v : p) {
                    if (v > 0) {
                        h -= v * Math.log(v);
                    }
                }
                yield Math.max(0, 1 - h / Math.log(p.length));
            }
            default -> throw new IllegalArgumentException("unknown uncertainty metric " + metric);
        };
    }
}
