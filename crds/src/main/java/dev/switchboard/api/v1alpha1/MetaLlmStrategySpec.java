package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** Expert-token routing: a meta LLM picks an expert token, or answers itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetaLlmStrategySpec {
    @Required
    @Size(max = 253)
    @JsonPropertyDescription("ExpertModel that acts as the meta model.")
    public String expert;

    @Default("true")
    @JsonPropertyDescription("Let the meta model answer itself when no expert fits.")
    public Boolean allowSelf = true;

    @Size(max = Names.MAX_TEXT)
    @JsonPropertyDescription("Extra instructions prepended to the routing prompt.")
    public String instructions;
}
