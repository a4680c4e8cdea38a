package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an expert is good at; read by the routing strategies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Expertise {
    @JsonPropertyDescription("Categories this expert answers, e.g. math, code, medical.")
    @Size(max = 64)
    public List<@Size(max = 253) String> categories = new ArrayList<>();

    @Size(max = Names.MAX_TEXT)
    @JsonPropertyDescription("Natural-language description of the expert, used by semantic and meta-LLM routing.")
    public String description;

    @JsonPropertyDescription("Sample queries this expert answers well, used by semantic routing.")
    @Size(max = Names.MAX_EXAMPLES)
    public List<@Size(max = Names.MAX_TEXT) String> examples = new ArrayList<>();

    @JsonPropertyDescription("True for a generalist that may take queries no specialist is sure about.")
    public Boolean generalist;

    @ValidationRule(value = "self.all(k, self[k] >= 0.0 && self[k] <= 1.0)",
            message = "quality scores must be between 0 and 1")
    @Size(max = 64)
    @JsonPropertyDescription("Known quality per category, 0..1 (e.g. benchmark accuracy).")
    public Map<String, Double> quality = new LinkedHashMap<>();
}
