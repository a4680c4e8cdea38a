package dev.switchboard.engine.table;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Go-style durations of the CRDs (e.g. 500ms, 1m30s, 2h). */
public final class GoDurations {
    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private GoDurations() {
    }

    /** Parses {@code value}; throws IllegalArgumentException naming {@code field} when malformed. */
    public static Duration parse(String field, String value) {
        if (value == null || !WHOLE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not a duration like 500ms, 30s, 5m or 1h");
        }
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
