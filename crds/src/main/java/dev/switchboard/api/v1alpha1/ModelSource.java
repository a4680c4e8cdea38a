package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where the weights of a deployed expert come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSource {
    /** hf://org/name[@revision], pvc://claim/path or s3://bucket/path. */
    public static final String URI_PATTERN =
            "^(hf://[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+(@[A-Za-z0-9._/-]+)?"
                    + "|pvc://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[^\\s]*)?"
                    + "|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s]*)?)$";

    @Required
    @Size(max = Names.MAX_URL)
    @Pattern(URI_PATTERN)
    @JsonPropertyDescription("Model weights: hf://org/name[@revision] (Hugging Face), pvc://claim/path (a mounted "
            + "PersistentVolumeClaim) or s3://bucket/path.")
    public String uri;

    @Size(max = Names.MAX_MODEL_NAME)
    @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
    @JsonPropertyDescription("Model name the expert serves (vLLM --served-model-name). Defaults to metadata.name.")
    public String servedName;

    @JsonPropertyDescription("Secret key holding HF_TOKEN for Hugging Face, or S3 credentials for s3:// sources.")
    public SecretKeyRef tokenSecretRef;
}
