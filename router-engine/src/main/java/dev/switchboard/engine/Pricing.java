package dev.switchboard.engine;

/**
 * What answers of one expert cost, from its ExpertModel's {@code spec.cost}: prices per million input and output
 * tokens when given, else a relative cost per query. The router meters usage with it.
 */
public record Pricing(double perQuery, double inputPerMillionTokens, double outputPerMillionTokens) {
    public static final Pricing FREE = new Pricing(0, 0, 0);

    public static Pricing perQuery(double cost) {
        return new Pricing(cost, 0, 0);
    }

    /** The cost of one answer: its tokens at the token prices, or the per-query cost when there are none. */
    public double cost(long inputTokens, long outputTokens) {
        if (inputPerMillionTokens > 0 || outputPerMillionTokens > 0) {
            return (inputTokens * inputPerMillionTokens + outputTokens * outputPerMillionTokens) / 1_000_000d;
        }
        return perQuery;
    }
}
