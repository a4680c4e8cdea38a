package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Observed state of an expert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpertModelStatus extends SwitchboardStatus {
    @StatusReplicas
    @JsonPropertyDescription("Pods of the expert that exist.")
    public Integer replicas;

    @JsonPropertyDescription("Pods of the expert that are ready to serve.")
    public Integer readyReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the expert's pods, for the scale subresource.")
    public String selector;

    @JsonPropertyDescription("Base URL of the expert's OpenAI-compatible API.")
    public String endpoint;

    @JsonPropertyDescription("Model name to put in requests to this expert.")
    public String servedModelName;

    @JsonPropertyDescription("Secret key holding the API key the expert's vLLM requires (the namespace's expert API "
            + "key, when the operator runs with expert API keys); the routers of the policies selecting the expert "
            + "send it as a Bearer token.")
    public SecretKeyRef apiKeySecretRef;

    @JsonPropertyDescription("Adapter experts: the base's pods on which the adapter is loaded (it is Ready when "
            + "loaded on at least one; readyReplicas counts them).")
    public java.util.List<String> loadedOn;

    @JsonPropertyDescription("The built-in autoscaler's last decision (spec.autoscaling).")
    public AutoscalerStatus autoscaler;

    @JsonPropertyDescription("One word for printer columns: Pending, Progressing, Ready, Degraded or External.")
    public String phase;
}
