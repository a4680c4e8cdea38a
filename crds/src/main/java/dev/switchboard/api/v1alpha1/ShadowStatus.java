package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * How a policy deciding in shadow compares with the live policy it shadows, on the live policy's requests. Written
 * only by the live policy's routers, into the shadow policy's status; counts are summed across router replicas
 * and start again from zero when either policy's generation changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowStatus {
    /** Rows of perCategory kept; further categories are counted in the totals only. */
    public static final int MAX_CATEGORIES = 64;
    /** Disagreement pairs kept: the most frequent. */
    public static final int MAX_DISAGREEMENTS = 10;

    @JsonPropertyDescription("The live RoutingPolicy whose requests this policy decides on in shadow.")
    public String of;

    @JsonPropertyDescription("The live policy's metadata.generation the counts are for.")
    public Long liveGeneration;

    @JsonPropertyDescription("This policy's metadata.generation the counts are for.")
    public Long observedGeneration;

    @JsonPropertyDescription("When counting started for these generations (RFC 3339).")
    public String since;

    @JsonPropertyDescription("Live requests this policy decided on in shadow.")
    public Long decisions;

    @JsonPropertyDescription("Decisions whose expert is the live decision's expert.")
    public Long agreed;

    @JsonPropertyDescription("agreed / decisions, 0..1.")
    public Double agreementRatio;

    @JsonPropertyDescription("Shadow decisions not made because the router's shadow pool was full.")
    public Long shed;

    @JsonPropertyDescription("Sampled requests whose shadow choice was also answered and kept for a judge.")
    public Long samples;

    @JsonPropertyDescription("Agreement per category of the live decision (none when it has no category), at most "
            + "64 rows, by category.")
    public List<Category> perCategory = new ArrayList<>();

    @JsonPropertyDescription("The most frequent disagreements (live expert -> shadow expert), at most 10.")
    public List<Disagreement> disagreements = new ArrayList<>();

    @JsonPropertyDescription("Decision latency of each policy's strategy on the same requests, as measured by the "
            + "router replica that wrote last.")
    public Latency decisionLatency;

    /** Agreement on one category. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Category {
        @JsonPropertyDescription("Category of the live decision, or none.")
        public String category;

        @JsonPropertyDescription("Decisions on requests of this category.")
        public Long decisions;

        @JsonPropertyDescription("Of which the shadow chose the live expert.")
        public Long agreed;

        @JsonPropertyDescription("agreed / decisions, 0..1.")
        public Double agreementRatio;
    }

    /** How often the shadow chose {@link #shadowExpert} where the live policy chose {@link #liveExpert}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Disagreement {
        @JsonPropertyDescription("Expert the live policy chose.")
        public String liveExpert;

        @JsonPropertyDescription("Expert the shadow would have chosen instead (none: no expert).")
        public String shadowExpert;

        @JsonPropertyDescription("How many times.")
        public Long count;
    }

    /** Strategy decision time of the live and of the shadow policy, in milliseconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Latency {
        @JsonPropertyDescription("Median decision time of the live policy, ms.")
        public Double liveP50Ms;

        @JsonPropertyDescription("99th percentile decision time of the live policy, ms.")
        public Double liveP99Ms;

        @JsonPropertyDescription("Median decision time of this (shadow) policy, ms.")
        public Double shadowP50Ms;

        @JsonPropertyDescription("99th percentile decision time of this (shadow) policy, ms.")
        public Double shadowP99Ms;
    }
}
