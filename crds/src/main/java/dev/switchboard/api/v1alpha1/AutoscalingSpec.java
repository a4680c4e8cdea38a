package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Bounds for the operator's built-in autoscaler, which sets spec.replicas through the scale subresource from the
 * demand the routers publish. Leave it out to scale by hand, with an HPA or with KEDA.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
        message = "spec.autoscaling.minReplicas must not exceed spec.autoscaling.maxReplicas")
public class AutoscalingSpec {
    public static final int DEFAULT_TARGET_IN_FLIGHT = 8;
    public static final String DEFAULT_SCALE_DOWN_DELAY = "5m";

    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Fewest replicas; 0 lets an idle expert scale to zero (requests for it are then held "
            + "while it starts, see RoutingPolicy spec.holding). Default 0.")
    public Integer minReplicas;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most replicas.")
    public Integer maxReplicas;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Requests in flight one replica should carry; replicas = ceil(demand / this). "
            + "Default 8.")
    public Integer targetInFlightPerReplica;

    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = TimeoutsSpec.POSITIVE, message = TimeoutsSpec.POSITIVE_SUMMARY,
            messageExpression = TimeoutsSpec.POSITIVE_MESSAGE)
    @JsonPropertyDescription("How long demand must stay below the current replicas before scaling down (to zero "
            + "included). Default 5m.")
    public String scaleDownDelay;

    public int minOrDefault() {
        return minReplicas == null ? 0 : minReplicas;
    }

    public int targetOrDefault() {
        return targetInFlightPerReplica == null ? DEFAULT_TARGET_IN_FLIGHT : targetInFlightPerReplica;
    }

    public String scaleDownDelayOrDefault() {
        return scaleDownDelay == null ? DEFAULT_SCALE_DOWN_DELAY : scaleDownDelay;
    }
}
