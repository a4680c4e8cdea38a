package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Upstream timeouts, as Go-style durations (e.g. 500ms, 30s, 5m). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeoutsSpec {
    /** A Go duration in the units the router honours: one or more of a number and ms, s, m or h. */
    public static final String DURATION = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";
    /**
     * CEL: a Go duration of at least 1ms (the router's resolution). {@code duration()} is only reached for strings
     * of the right form, so "forever" gets this message rather than a parse error.
     */
    static final String POSITIVE = "self.matches('" + DURATION + "') && duration(self) >= duration('1ms')";
    static final String POSITIVE_SUMMARY = "must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m";
    static final String POSITIVE_MESSAGE = "'must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m, "
            + "not \"' + self + '\"'";

    @Default("2s")
    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = POSITIVE, message = POSITIVE_SUMMARY, messageExpression = POSITIVE_MESSAGE)
    @JsonPropertyDescription("Connecting to an expert.")
    public String connect = "2s";

    @Default("60s")
    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = POSITIVE, message = POSITIVE_SUMMARY, messageExpression = POSITIVE_MESSAGE)
    @JsonPropertyDescription("Until the first response byte (covers queueing and prefill).")
    public String firstByte = "60s";

    @Default("10m")
    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = POSITIVE, message = POSITIVE_SUMMARY, messageExpression = POSITIVE_MESSAGE)
    @JsonPropertyDescription("The whole request, streaming included.")
    public String request = "10m";
}
