package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** Fixed traffic weights, for A/B tests and canaries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StaticStrategySpec {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Experts and their traffic weights.")
    public List<WeightedExpert> experts = new ArrayList<>();
}
