package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.util.ArrayList;
import java.util.List;

/** A query category of the two-step (Composition of Experts) router. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CategoryDefinition {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
    @Size(max = 253)
    @JsonPropertyDescription("Category name, e.g. math.")
    public String name;

    @Size(max = Names.MAX_TEXT)
    @JsonPropertyDescription("What queries of this category are about.")
    public String description;

    @JsonPropertyDescription("Sample queries of this category.")
    @Size(max = Names.MAX_EXAMPLES)
    public List<@Size(max = Names.MAX_TEXT) String> examples = new ArrayList<>();

    public CategoryDefinition() {
    }

    public CategoryDefinition(String name, String description, List<String> examples) {
        this.name = name;
        this.description = description;
        this.examples = examples;
    }
}
