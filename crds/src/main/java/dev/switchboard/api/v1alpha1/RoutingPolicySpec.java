package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
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
@ValidationRule(value = "self.strategy.type != 'static' || !has(self.strategy.static) || has(self.experts.selector) "
        + "|| self.strategy.static.experts.all(e, " + RoutingPolicySpec.LISTED_E + ")",
        message = "each expert of strategy.static.experts must be listed in spec.experts.names or be spec.fallback "
                + "(or be selected by spec.experts.selector)",
        fieldPath = ".strategy.static.experts")
@ValidationRule(value = "self.strategy.type != 'category' || !has(self.strategy.category) "
        + "|| !has(self.strategy.category.routes) || has(self.experts.selector) "
        + "|| self.strategy.category.routes.all(r, r.experts.all(e, " + RoutingPolicySpec.LISTED_E + "))",
        message = "each expert of strategy.category.routes must be listed in spec.experts.names or be "
                + "spec.fallback (or be selected by spec.experts.selector)",
        fieldPath = ".strategy.category.routes")
@ValidationRule(value = "self.strategy.type != 'metaLLM' || !has(self.strategy.metaLLM) || has(self.experts.selector) "
        + "|| (has(self.experts.names) && self.strategy.metaLLM.expert in self.experts.names) "
        + "|| (has(self.fallback) && self.strategy.metaLLM.expert == self.fallback)",
        messageExpression = "'expert ' + self.strategy.metaLLM.expert + ' is not among the experts of the policy: "
                + "list it in spec.experts.names'",
        fieldPath = ".strategy.metaLLM.expert")
public class RoutingPolicySpec {
    /** CEL: expert {@code e} is listed in spec.experts.names or is spec.fallback. */
    static final String LISTED_E = "(has(self.experts.names) && e.name in self.experts.names) "
            + "|| (has(self.fallback) && e.name == self.fallback)";

    @Size(max = Names.MAX_MODEL_NAME)
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
    @Size(max = 253)
    @JsonPropertyDescription("Generalist ExpertModel for uncertain queries and when the chosen experts are down.")
    public String fallback;

    @JsonPropertyDescription("Retrying on another expert when one fails before answering.")
    public FailoverSpec failover;

    @JsonPropertyDescription("Upstream timeouts.")
    public TimeoutsSpec timeouts;

    @JsonPropertyDescription("How a ready replica of the chosen expert is picked: prefix-cache and session affinity "
            + "with bounded load (default), least loaded, or round robin.")
    public EndpointPickingSpec endpointPicking;

    @JsonPropertyDescription("The router Deployment.")
    public RouterDeploymentSpec router;

    @JsonPropertyDescription("Holding requests for experts that scale from zero while they start.")
    public HoldingSpec holding;

    @JsonPropertyDescription("Query encoder for embedding-based strategies.")
    public EmbeddingSpec embedding;

    @JsonPropertyDescription("Caps on max_tokens and n of each request (400 above them).")
    public RequestLimitsSpec requestLimits;

    @JsonPropertyDescription("A RoutingPolicy of the same namespace that decides in shadow on this policy's "
            + "requests, without answering them: its agreement with this policy is recorded in metrics and in its "
            + "status.shadow.")
    public ShadowSpec shadow;
}
