package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** When the classifier is unsure, send the query to the fallback generalist. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UncertaintySpec {
    @Required
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Confidence below this routes to spec.fallback (0..1; entropy is normalised so 1 = sure).")
    public Double threshold;

    @Default("maxProb")
    @Size(max = 16)
    @Pattern("^(maxProb|margin|entropy)$")
    @JsonPropertyDescription("Confidence measure: maxProb (top probability), margin (top minus second) or entropy "
            + "(1 - normalised entropy).")
    public String metric = "maxProb";
}
