package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** Maps one category to the experts that answer it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = WeightedExpert.UNIQUE, message = WeightedExpert.UNIQUE_MESSAGE,
        fieldPath = ".experts")
@ValidationRule(value = WeightedExpert.SOME_TRAFFIC, message = WeightedExpert.SOME_TRAFFIC_MESSAGE,
        fieldPath = ".experts")
public class CategoryRoute {
    @Required
    @Size(max = 253)
    @JsonPropertyDescription("Category name, as in strategy.category.categories or the experts' expertise.")
    public String category;

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Experts for this category, tried in weight-proportional order.")
    public List<WeightedExpert> experts = new ArrayList<>();
}
