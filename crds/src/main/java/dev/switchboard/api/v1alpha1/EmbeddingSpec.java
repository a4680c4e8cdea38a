package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The query encoder used by embedding-based strategies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.builtin) && has(self.endpoint))",
        message = "embedding.builtin and embedding.endpoint are mutually exclusive")
public class EmbeddingSpec {
    @Size(max = 64)
    @Pattern("^(all-minilm-l6-v2-q|hashing)$")
    @JsonPropertyDescription("In-process encoder: all-minilm-l6-v2-q (ONNX, default) or hashing (lexical, no model).")
    public String builtin;

    @JsonPropertyDescription("An OpenAI-compatible /v1/embeddings endpoint instead of the in-process encoder.")
    public EmbeddingEndpoint endpoint;

    /** An OpenAI-compatible embeddings endpoint. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EmbeddingEndpoint {
        @io.fabric8.generator.annotation.Required
        @Size(max = Names.MAX_URL)
        @Pattern("^https?://[^\\s/]+(/[^\\s]*)?$")
        @JsonPropertyDescription("Base URL, e.g. http://embedder:8000/v1.")
        public String url;

        @io.fabric8.generator.annotation.Required
        @Size(max = Names.MAX_MODEL_NAME)
        @JsonPropertyDescription("Embedding model name.")
        public String model;

        @JsonPropertyDescription("Secret key holding the API key.")
        public SecretKeyRef apiKeySecretRef;
    }
}
