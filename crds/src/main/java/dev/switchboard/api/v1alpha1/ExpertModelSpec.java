package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of one expert LLM. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.model) != has(self.external)",
        message = "exactly one of spec.model (deploy vLLM) or spec.external (existing endpoint) must be set")
@ValidationRule(value = "!has(self.external) || (!has(self.engine) && !has(self.cache))",
        message = "spec.engine and spec.cache apply only to deployed experts, not to spec.external")
@ValidationRule(value = "!has(self.task) || self.task == 'generate' || self.task == 'embed'",
        message = "spec.task must be generate (chat, completions, responses) or embed (embeddings only)")
@ValidationRule(value = "!has(self.cache) || !has(self.model) || !self.model.uri.startsWith('pvc://')",
        message = "spec.cache is not needed for a pvc:// model: the weights already live on that claim")
public class ExpertModelSpec {
    @JsonPropertyDescription("Model weights to serve with vLLM. Exactly one of model or external.")
    public ModelSource model;

    @JsonPropertyDescription("An already running OpenAI-compatible endpoint; nothing is deployed.")
    public ExternalEndpoint external;

    @Default("generate")
    @Size(max = 16)
    @JsonPropertyDescription("What the expert serves: generate (chat, completions and responses; routed by policies) "
            + "or embed (POST /v1/embeddings only, by its model name; never chosen by a RoutingPolicy). A deployed "
            + "embed expert runs vLLM with --runner pooling.")
    public String task = "generate";

    @JsonPropertyDescription("vLLM engine settings.")
    public EngineSpec engine;

    @JsonPropertyDescription("GPUs, CPU, memory and node placement per replica.")
    public ExpertResources resources;

    @SpecReplicas
    @Min(0)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("Number of vLLM replicas. Honoured by kubectl scale and autoscalers.")
    public Integer replicas = 1;

    @JsonPropertyDescription("What the expert is good at, for routing.")
    public Expertise expertise;

    @JsonPropertyDescription("Cost of a query on this expert, for cost-aware routing.")
    public CostSpec cost;

    @JsonPropertyDescription("Optional PersistentVolumeClaim caching downloaded weights.")
    public WeightsCache cache;
}
