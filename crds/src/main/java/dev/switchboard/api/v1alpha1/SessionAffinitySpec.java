package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Session affinity: requests carrying the same session key stay on one replica while it is ready and not
 * overloaded, and optionally on one expert.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionAffinitySpec {
    @Pattern("^[A-Za-z0-9-]+$")
    @Size(max = 64)
    @Default("x-session-id")
    @JsonPropertyDescription("Request header that carries the session key.")
    public String header = "x-session-id";

    @Default("true")
    @JsonPropertyDescription("Use the OpenAI 'user' field of the request as the session key when the header is "
            + "absent.")
    public Boolean userField = true;

    @Default("false")
    @JsonPropertyDescription("Keep a session on the expert that answered its previous request, even when the strategy "
            + "would choose another (while that expert is routable); the x-switchboard-fallback header says so.")
    public Boolean stickyExpert = false;

    @Default("30m")
    @Pattern(TimeoutsSpec.DURATION)
    @JsonPropertyDescription("A session is forgotten this long after its last request.")
    public String ttl = "30m";
}
