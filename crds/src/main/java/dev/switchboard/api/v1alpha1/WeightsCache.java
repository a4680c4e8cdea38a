package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim that keeps downloaded weights across restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WeightsCache {
    @Required
    @Pattern(ExpertResources.QUANTITY)
    @JsonPropertyDescription("Size of the cache volume, e.g. 50Gi.")
    public String size;

    @JsonPropertyDescription("StorageClass of the cache volume; the cluster default when empty.")
    public String storageClassName;
}
