package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** Fixed traffic weights, for A/B tests and canaries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = WeightedExpert.UNIQUE, message = WeightedExpert.UNIQUE_MESSAGE,
        fieldPath = ".experts")
@ValidationRule(value = WeightedExpert.SOME_TRAFFIC, message = WeightedExpert.SOME_TRAFFIC_MESSAGE,
        fieldPath = ".experts")
public class StaticStrategySpec {
    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Experts and their traffic weights.")
    public List<WeightedExpert> experts = new ArrayList<>();
}
