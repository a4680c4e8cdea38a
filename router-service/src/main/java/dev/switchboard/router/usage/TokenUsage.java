package dev.switchboard.router.usage;

/**
 * Tokens of one answer: as the expert reported them in {@code usage}, or estimated when it reported none (a stream
 * the client cut short, an expert without usage): input from the request's size, output from the chunks relayed.
 */
public record TokenUsage(long input, long output, boolean estimated) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, false);

    public long total() {
        return input + output;
    }
}
