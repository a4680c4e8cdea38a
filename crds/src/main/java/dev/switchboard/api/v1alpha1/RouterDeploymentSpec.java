package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The router Deployment the operator runs for a policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouterDeploymentSpec {
    @Min(0)
    @Max(100)
    @Default("1")
    @JsonPropertyDescription("Router replicas; more than one also gets a PodDisruptionBudget.")
    public Integer replicas = 1;

    @JsonPropertyDescription("Router container resources.")
    public ResourceRequirements resources;

    @Size(max = Names.MAX_IMAGE)
    @JsonPropertyDescription("Router image. Defaults to the operator's configured image.")
    public String image;
}
