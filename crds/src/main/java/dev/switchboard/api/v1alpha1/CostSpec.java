package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** What a query costs on this expert; cost-aware routing trades it against quality. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostSpec {
    @Min(0)
    @JsonPropertyDescription("Relative cost of one query (unitless, e.g. 1 for a 7B model, 10 for a 70B one).")
    public Double relative;

    @Min(0)
    @JsonPropertyDescription("Price per million input tokens (any currency, used consistently).")
    public Double inputPerMillionTokens;

    @Min(0)
    @JsonPropertyDescription("Price per million output tokens.")
    public Double outputPerMillionTokens;
}
