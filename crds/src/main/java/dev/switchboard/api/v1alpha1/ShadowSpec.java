package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Another RoutingPolicy of the same namespace that decides in shadow on this policy's requests: its strategy runs
 * on each request after the live decision, off the request's path, and only its choice is recorded (agreement with
 * the live decision, per category; decision latency), never answered, except for the sampled share.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowSpec {
    /** The largest share of requests whose shadow choice is also answered: each costs a second generation. */
    public static final double MAX_SAMPLE_ANSWERS = 0.05;

    @Required
    @Pattern(Names.DNS_1035_LABEL)
    @Size(max = Names.MAX_POLICY_NAME)
    @JsonPropertyDescription("Name of the RoutingPolicy, in this policy's namespace, that decides in shadow. Not "
            + "this policy itself; a policy of another namespace cannot be named.")
    public String policy;

    @Min(0)
    @Max(MAX_SAMPLE_ANSWERS)
    @JsonPropertyDescription("Fraction of requests (0..0.05, default 0) for which the shadow's chosen expert is also "
            + "asked (non-streamed, not billed to the tenant) and both answers are kept for an offline judge.")
    public Double sampleAnswers;

    /** {@link #sampleAnswers}, 0 when unset. */
    @JsonIgnore
    public double sampleAnswersOrZero() {
        return sampleAnswers == null ? 0 : Math.max(0, Math.min(MAX_SAMPLE_ANSWERS, sampleAnswers));
    }
}
