package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Per-expert success predictors with a selection policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClassifierStrategySpec {
    @Default("best")
    @Size(max = 32)
    @Pattern("^(best|thresholdCheapest)$")
    @JsonPropertyDescription("best: highest predicted success; thresholdCheapest: cheapest expert whose predicted "
            + "success is at least threshold.")
    public String policy = "best";

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Success threshold for thresholdCheapest; when no expert clears it, spec.fallback.")
    public Double threshold;
}
