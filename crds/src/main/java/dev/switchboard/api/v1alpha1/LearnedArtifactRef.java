package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A trained router artifact (JSON) stored in a ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LearnedArtifactRef {
    @Required
    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("ConfigMap holding the artifact, in the policy's namespace.")
    public String configMapRef;

    @Default("router.json")
    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern(Names.DATA_KEY)
    @JsonPropertyDescription("Key inside the ConfigMap.")
    public String key = "router.json";

    /** The key to read: {@link #key}, or the default when a client sent it as null. */
    @JsonIgnore
    public String keyOrDefault() {
        return key == null ? "router.json" : key;
    }
}
