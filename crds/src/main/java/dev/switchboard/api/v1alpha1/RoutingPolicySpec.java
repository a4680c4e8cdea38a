package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How queries sent to one model name are routed among experts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.strategy.uncertainty) || has(self.fallback)",
        message = "strategy.uncertainty needs spec.fallback: the generalist that takes uncertain queries")
@ValidationRule(value = "self.strategy.type != 'classifier' || !has(self.strategy.classifier) "
        + "|| self.strategy.classifier.policy != 'thresholdCheapest' || has(self.strategy.classifier.threshold)",
        message = "strategy.classifier.policy thresholdCheapest needs strategy.classifier.threshold")
public class RoutingPolicySpec {
    @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
    @JsonPropertyDescription("Model name clients send in requests to be routed by this policy. Defaults to "
            + "metadata.name.")
    public String modelName;

    @Required
    @ValidationRule(value = "has(self.selector) || (has(self.names) && size(self.names) > 0)",
            message = "spec.experts needs a selector or at least one name")
    @JsonPropertyDescription("The ExpertModels this policy routes among.")
    public ExpertSelection experts;

    @Required
    @JsonPropertyDescription("How the expert for each query is chosen.")
    public StrategySpec strategy;

    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Generalist ExpertModel for uncertain queries and when the chosen experts are down.")
    public String fallback;

    @JsonPropertyDescription("Retrying on another expert when one fails before answering.")
    public FailoverSpec failover;

    @JsonPropertyDescription("Upstream timeouts.")
    public TimeoutsSpec timeouts;

    @JsonPropertyDescription("The router Deployment.")
    public RouterDeploymentSpec router;

    @JsonPropertyDescription("Query encoder for embedding-based strategies.")
    public EmbeddingSpec embedding;
}
