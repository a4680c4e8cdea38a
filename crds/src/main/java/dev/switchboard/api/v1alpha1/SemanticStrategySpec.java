package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Nearest examples: compare the query to the experts' example queries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SemanticStrategySpec {
    @Min(1)
    @Max(100)
    @Default("5")
    @JsonPropertyDescription("Number of nearest examples aggregated per decision.")
    public Integer topK = 5;

    @Min(-1)
    @Max(1)
    @JsonPropertyDescription("Minimum cosine similarity of the winning expert's examples; below it, fallback.")
    public Double minSimilarity;
}
