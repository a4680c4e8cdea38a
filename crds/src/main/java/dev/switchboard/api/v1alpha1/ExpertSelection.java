package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.ArrayList;
import java.util.List;

/** Which ExpertModels (in the policy's namespace) a policy routes among: a label selector, names, or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpertSelection {
    @JsonPropertyDescription("Label selector over ExpertModels in the policy's namespace.")
    public LabelSelector selector;

    @JsonPropertyDescription("ExpertModel names in the policy's namespace.")
    @Size(max = 64)
    public List<@Size(max = 253) String> names = new ArrayList<>();
}
