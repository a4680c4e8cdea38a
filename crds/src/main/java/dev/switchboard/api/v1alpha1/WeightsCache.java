package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim that keeps downloaded weights across restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WeightsCache {
    @Required
    @Size(max = Names.MAX_QUANTITY)
    @Pattern(ExpertResources.QUANTITY)
    @JsonPropertyDescription("Size of the cache volume, e.g. 50Gi.")
    public String size;

    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("StorageClass of the cache volume; the cluster default when empty.")
    public String storageClassName;
}
