package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** Two-step Composition of Experts: classify into a category, then map the category to experts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.categories) "
        + "|| self.categories.all(c, self.categories.exists_one(o, o.name == c.name))",
        message = "each category may be defined once",
        fieldPath = ".categories")
@ValidationRule(value = "!has(self.routes) "
        + "|| self.routes.all(r, self.routes.exists_one(o, o.category == r.category))",
        message = "each category may be routed once",
        fieldPath = ".routes")
public class CategoryStrategySpec {
    @JsonPropertyDescription("Categories with descriptions and examples. Experts' expertise adds to them.")
    @Size(max = 64)
    public List<CategoryDefinition> categories = new ArrayList<>();

    @JsonPropertyDescription("Category to experts. A category without a route goes to experts listing it in "
            + "expertise.categories.")
    @Size(max = 64)
    public List<CategoryRoute> routes = new ArrayList<>();

    @Min(0.001)
    @Max(10)
    @Default("0.05")
    @JsonPropertyDescription("Softmax temperature over cosine similarities; lower is sharper.")
    public Double temperature = 0.05;
}
