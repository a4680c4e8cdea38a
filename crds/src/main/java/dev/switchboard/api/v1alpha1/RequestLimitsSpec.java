package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Caps on what one request to this policy may ask for; the router answers 400 above them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequestLimitsSpec {
    /** Far above any model's context window; bounded like every number of the API. */
    public static final int MAX_TOKENS = 10_000_000;

    @Min(1)
    @Max(MAX_TOKENS)
    @JsonPropertyDescription("Largest max_tokens (or max_completion_tokens) a request may ask for. Unset: no cap.")
    public Integer maxTokens;

    @Min(1)
    @Max(128)
    @JsonPropertyDescription("Largest n (choices per request) a request may ask for. Unset: no cap.")
    public Integer maxN;
}
