package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An OpenAI-compatible endpoint that already runs elsewhere; nothing is deployed for it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalEndpoint {
    @Required
    @Size(max = Names.MAX_URL)
    @Pattern("^https?://[^\\s/]+(/[^\\s]*)?$")
    @JsonPropertyDescription("Base URL of the OpenAI-compatible API, e.g. https://api.example.com/v1.")
    public String url;

    @JsonPropertyDescription("Secret key holding the API key sent as a Bearer token.")
    public SecretKeyRef apiKeySecretRef;

    @Size(max = Names.MAX_MODEL_NAME)
    @JsonPropertyDescription("Model name to request from the endpoint. Defaults to the expert's served name.")
    public String model;
}
