package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How a policy picks the expert for each query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'static' || has(self.static)",
        message = "strategy.type static needs strategy.static.experts")
@ValidationRule(value = "self.type != 'metaLLM' || has(self.metaLLM)",
        message = "strategy.type metaLLM needs strategy.metaLLM.expert")
@ValidationRule(value = "!(self.type in ['cluster', 'classifier', 'reward', 'costAware']) || has(self.learned)",
        message = "strategy.type cluster, classifier, reward and costAware need a trained artifact in strategy.learned")
@ValidationRule(value = "self.type != 'category' || has(self.category) || has(self.learned)",
        message = "strategy.type category needs strategy.category or a trained category classifier in strategy.learned")
public class StrategySpec {
    public static final String TYPES = "^(category|semantic|cluster|classifier|reward|metaLLM|costAware|static)$";

    @Required
    @Size(max = 32)
    @Pattern(TYPES)
    @JsonPropertyDescription("category (two-step Composition of Experts), semantic (nearest examples), cluster "
            + "(k-means), classifier (per-expert success predictors), reward (Zooter), metaLLM (expert tokens), "
            + "costAware (quality vs cost) or static (fixed weights).")
    public String type;

    @JsonPropertyDescription("Settings of the category strategy.")
    public CategoryStrategySpec category;

    @JsonPropertyDescription("Settings of the semantic strategy.")
    public SemanticStrategySpec semantic;

    @JsonPropertyDescription("Settings of the classifier strategy.")
    public ClassifierStrategySpec classifier;

    @JsonPropertyDescription("Settings of the metaLLM strategy.")
    public MetaLlmStrategySpec metaLLM;

    @JsonPropertyDescription("Settings of the costAware strategy.")
    public CostAwareStrategySpec costAware;

    @JsonPropertyDescription("Settings of the static strategy.")
    @com.fasterxml.jackson.annotation.JsonProperty("static")
    public StaticStrategySpec staticWeights;

    @JsonPropertyDescription("Route to spec.fallback when the decision's confidence is low.")
    public UncertaintySpec uncertainty;

    @JsonPropertyDescription("Trained router artifact: required for cluster, classifier, reward and costAware; for "
            + "category, optional: a trained category classifier (artifact kind category) replaces the nearest "
            + "category texts.")
    public LearnedArtifactRef learned;
}
