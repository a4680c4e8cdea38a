package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An expert with a traffic weight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WeightedExpert {
    /** CEL over a list {@code self.experts} of weighted experts: each name once. */
    static final String UNIQUE = "self.experts.all(e, self.experts.exists_one(o, o.name == e.name))";
    static final String UNIQUE_MESSAGE = "each expert may be listed once";
    /** CEL: at least one expert of {@code self.experts} gets traffic. */
    static final String SOME_TRAFFIC = "self.experts.exists(e, !has(e.weight) || e.weight > 0)";
    static final String SOME_TRAFFIC_MESSAGE = "all weights are 0, so no traffic could go anywhere";

    @Required
    @Size(max = 253)
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
