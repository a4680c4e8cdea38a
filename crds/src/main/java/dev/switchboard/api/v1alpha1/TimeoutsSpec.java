package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Upstream timeouts, as Go-style durations (e.g. 500ms, 30s, 5m). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeoutsSpec {
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    @Default("2s")
    @Pattern(DURATION)
    @JsonPropertyDescription("Connecting to an expert.")
    public String connect = "2s";

    @Default("60s")
    @Pattern(DURATION)
    @JsonPropertyDescription("Until the first response byte (covers queueing and prefill).")
    public String firstByte = "60s";

    @Default("10m")
    @Pattern(DURATION)
    @JsonPropertyDescription("The whole request, streaming included.")
    public String request = "10m";
}
