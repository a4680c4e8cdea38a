package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Requests for an expert that scales from zero (spec.autoscaling) and has no ready replica are held while it
 * starts, then forwarded; past maxWait, or with the queue full, they go to the next candidate (the fallback).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoldingSpec {
    @Default("60s")
    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = TimeoutsSpec.POSITIVE, message = TimeoutsSpec.POSITIVE_SUMMARY,
            messageExpression = TimeoutsSpec.POSITIVE_MESSAGE)
    @JsonPropertyDescription("Longest a request waits for a cold expert before it goes to the fallback.")
    public String maxWait = "60s";

    @Default("1000")
    @Min(0)
    @Max(100000)
    @JsonPropertyDescription("Requests a router replica holds at once for this policy; 0 turns holding off "
            + "(a cold expert's requests go to the fallback at once).")
    public Integer maxQueued = 1000;
}
