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

    @JsonPropertyDescription("What queries of this category are about.")
    public String description;

    @JsonPropertyDescription("Sample queries of this category.")
    public List<String> examples = new ArrayList<>();

    public CategoryDefinition() {
    }

    public CategoryDefinition(String name, String description, List<String> examples) {
        this.name = name;
        this.description = description;
        this.examples = examples;
    }
}
