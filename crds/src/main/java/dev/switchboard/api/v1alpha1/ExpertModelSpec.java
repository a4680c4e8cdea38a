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
@ValidationRule(value = "[has(self.model), has(self.external), has(self.adapter)].filter(x, x).size() == 1",
        message = ExpertModelSpec.EXACTLY_ONE)
@ValidationRule(value = "!has(self.adapter) || (!has(self.engine) && !has(self.cache) && !has(self.resources) "
        + "&& !has(self.autoscaling))",
        message = "spec.engine, spec.cache, spec.resources and spec.autoscaling do not apply to spec.adapter: an "
                + "adapter runs on its base's pods (set them on the base)")
@ValidationRule(value = "!has(self.external) || !has(self.autoscaling)",
        message = "spec.autoscaling applies only to deployed experts, not to spec.external")
@ValidationRule(value = "!has(self.external) || (!has(self.engine) && !has(self.cache))",
        message = "spec.engine and spec.cache apply only to deployed experts, not to spec.external")
@ValidationRule(value = "!has(self.adapter) || !has(self.task) || self.task == 'generate'",
        message = "spec.task: embed does not apply to spec.adapter: adapters are served for generation on their base")
@ValidationRule(value = "!has(self.task) || self.task == 'generate' || self.task == 'embed'",
        message = "spec.task must be generate (chat, completions, responses) or embed (embeddings only)")
@ValidationRule(value = "!has(self.cache) || !has(self.model) || !self.model.uri.startsWith('pvc://')",
        message = "spec.cache is not needed for a pvc:// model: the weights already live on that claim")
public class ExpertModelSpec {
    public static final String EXACTLY_ONE = "exactly one of spec.model (deploy vLLM) or spec.external (existing "
            + "endpoint) or spec.adapter (a LoRA adapter on a base expert) must be set";

    @JsonPropertyDescription("Model weights to serve with vLLM. Exactly one of model, external or adapter.")
    public ModelSource model;

    @JsonPropertyDescription("An already running OpenAI-compatible endpoint; nothing is deployed.")
    public ExternalEndpoint external;

    @Default("generate")
    @Size(max = 16)
    @JsonPropertyDescription("What the expert serves: generate (chat, completions and responses; routed by policies) "
            + "or embed (POST /v1/embeddings only, by its model name; never chosen by a RoutingPolicy). A deployed "
            + "embed expert runs vLLM with --runner pooling.")
    public String task = "generate";

    @JsonPropertyDescription("A LoRA adapter served on the vLLM pods of a base ExpertModel; nothing is deployed "
            + "for it. Exactly one of model, external or adapter.")
    public AdapterSource adapter;

    @JsonPropertyDescription("Bounds for the operator's built-in autoscaler (scale from zero with request holding); "
            + "without it replicas are set by hand, an HPA or KEDA.")
    public AutoscalingSpec autoscaling;

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
