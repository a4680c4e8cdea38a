package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** How the router picks one ready replica (pod) of the expert it chose. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointPickingSpec {
    public static final String TYPES = "^(prefixAffinity|leastLoaded|roundRobin)$";

    @Pattern(TYPES)
    @Default("prefixAffinity")
    @JsonPropertyDescription("prefixAffinity: a request goes to the replica that likely holds its prompt's prefix in "
            + "vLLM's prefix cache (the same conversation to the same replica), unless that replica's load is over "
            + "loadFactor times the mean; leastLoaded: the replica with the least requests in flight and queued; "
            + "roundRobin: in turn.")
    public String type = "prefixAffinity";

    @Min(1)
    @Max(10)
    @Default("1.25")
    @JsonPropertyDescription("prefixAffinity: a replica takes a request only while its load (requests in flight, and "
            + "queued in vLLM) stays within loadFactor times the mean load of the expert's replicas; above it the "
            + "request spills to the next replica. 1 balances strictly, larger values keep more affinity.")
    public Double loadFactor = 1.25;

    @JsonPropertyDescription("Keeping a conversation on one replica (and optionally on one expert).")
    public SessionAffinitySpec session;
}
