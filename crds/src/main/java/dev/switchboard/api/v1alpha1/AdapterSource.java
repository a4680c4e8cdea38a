package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A LoRA adapter served on the vLLM pods of a base ExpertModel (vLLM's runtime adapter loading). */
@ValidationRule(value = "!self.uri.contains('/../') && !self.uri.endsWith('/..')",
        message = AdapterSource.NO_PARENT_SEGMENT)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdapterSource {
    /** hf://org/name or pvc://claim/path (vLLM's load_lora_adapter takes no revision). */
    public static final String URI_PATTERN = "^(hf://[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+"
            + "|pvc://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[^\\s]*)?)$";
    /** The path is handed to the base's vLLM as is: it must stay inside the claim (or name a repository). */
    public static final String NO_PARENT_SEGMENT = "spec.adapter.uri must not contain a '..' segment: the path is "
            + "read by the base's vLLM and must stay inside the claim";
    /** The rank assumed when spec.adapter.rank is not given: vLLM's default --max-lora-rank. */
    public static final int DEFAULT_RANK = 16;

    @Required
    @Size(max = Names.MAX_EXPERT_NAME)
    @Pattern(Names.DNS_1035_LABEL)
    @JsonPropertyDescription("Name of the base ExpertModel (same namespace, with spec.model) whose vLLM pods serve "
            + "this adapter.")
    public String base;

    @Required
    @Size(max = Names.MAX_URL)
    @Pattern(URI_PATTERN)
    @JsonPropertyDescription("Adapter weights: hf://org/name (downloaded by the base's vLLM with its "
            + "token) or pvc://claim/path (the claim is mounted read-only into the base's pods).")
    public String uri;

    @Min(1)
    @Max(512)
    @JsonPropertyDescription("LoRA rank of the adapter (r in its adapter_config.json); sizes the base's "
            + "--max-lora-rank. Default 16.")
    public Integer rank;

    /** The rank the operator plans with. */
    public int rankOrDefault() {
        return rank == null ? DEFAULT_RANK : rank;
    }
}
