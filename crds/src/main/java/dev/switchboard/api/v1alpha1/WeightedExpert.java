package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An expert with a traffic weight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WeightedExpert {
    @Required
    @JsonPropertyDescription("ExpertModel name.")
    public String name;

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Relative share of traffic among the experts of the same route.")
    public Integer weight = 1;

    public WeightedExpert() {
    }

    public WeightedExpert(String name, int weight) {
        this.name = name;
        this.weight = weight;
    }
}
