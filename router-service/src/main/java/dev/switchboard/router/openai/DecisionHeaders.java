package dev.switchboard.router.openai;

import dev.switchboard.engine.Decision;
import io.vertx.core.MultiMap;

/** The x-switchboard-* response headers that tell the client how its request was routed. */
public final class DecisionHeaders {
    public static final String EXPERT = "x-switchboard-expert";
    public static final String POLICY = "x-switchboard-policy";
    public static final String STRATEGY = "x-switchboard-strategy";
    public static final String CATEGORY = "x-switchboard-category";
    public static final String CONFIDENCE = "x-switchboard-confidence";
    public static final String FALLBACK = "x-switchboard-fallback";
    public static final String DRY_RUN = "x-switchboard-dry-run";

    private DecisionHeaders() {
    }

    /** @param servedBy the expert that answered, or null when none did */
    public static void write(MultiMap headers, Decision d, String servedBy, String fallbackReason) {
        if (servedBy != null) {
            headers.set(EXPERT, servedBy);
        }
        if (d.policy() != null) {
            headers.set(POLICY, d.policy());
        }
        if (d.strategy() != null) {
            headers.set(STRATEGY, d.strategy());
        }
        if (d.category() != null) {
            headers.set(CATEGORY, d.category());
        }
        headers.set(CONFIDENCE, confidence(d.confidence()));
        if (fallbackReason != null) {
            // Header values must be one line of visible ASCII.
            headers.set(FALLBACK, fallbackReason.replaceAll("[^\\x20-\\x7e]", " "));
        }
    }

    static String confidence(double c) {
        long thousandths = Math.round(Math.max(0, Math.min(1, c)) * 1000);
        if (thousandths == 1000) {
            return "1.000";
        }
        String digits = Long.toString(thousandths);
        return "0." + "000".substring(digits.length()) + digits;
    }
}
