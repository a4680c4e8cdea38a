package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the built-in autoscaler last decided for an expert, and from which demand. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalerStatus {
    @JsonPropertyDescription("Replicas the autoscaler wants now.")
    public Integer desiredReplicas;

    @JsonPropertyDescription("Requests in flight the routers intended for the expert (its adapters included), "
            + "summed over fresh router reports.")
    public Integer demand;

    @JsonPropertyDescription("Last time demand needed at least the current replicas (RFC 3339); scale-down waits "
            + "spec.autoscaling.scaleDownDelay from here.")
    public String lastBusyTime;

    @JsonPropertyDescription("Why, in one sentence.")
    public String message;
}
