package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.TimeoutsSpec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go-style durations of the CRDs (e.g. 500ms, 1m30s, 2h), as the router honours them: at least 1ms. The CRDs'
 * CEL rule says the same ({@code duration(self) >= duration('1ms')}); this is the check for manifests that did not
 * pass through it (standalone files, a cluster that dropped the rule).
 */
public final class GoDurations {
    private static final Pattern WHOLE = Pattern.compile(TimeoutsSpec.DURATION);
    private static final Pattern PART = Pattern.compile("([0-9]+(?:[.][0-9]+)?)(ms|s|m|h)");

    private GoDurations() {
    }

    /** Parses {@code value}; throws IllegalArgumentException naming {@code field} when it is not a duration >= 1ms. */
    public static Duration parse(String field, String value) {
        Optional<Problem> problem = problem(field, value == null ? "" : value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get().toString());
        }
        return millis(value);
    }

    /** What is wrong with the duration {@code value} at {@code field}, if anything; null is not checked here. */
    public static Optional<Problem> problem(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!WHOLE.matcher(value).matches() || millis(value).compareTo(Duration.ofMillis(1)) < 0) {
            return Optional.of(new Problem(field, "must be a duration of at least 1ms such as 500ms, 30s, 5m or "
                    + "1h30m, not \"" + value + "\""));
        }
        return Optional.empty();
    }

    private static Duration millis(String value) {
        double millis = 0;
        Matcher m = PART.matcher(value);
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
