package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * The routing table the router serves for a policy, and whether it serves the policy at all. Written only by the
 * router; the operator's Ready condition reads {@link #accepted} when {@link #observedGeneration} is the policy's
 * current generation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingTableStatus {
    @JsonPropertyDescription("Published changes of the table, counted across all router replicas: each write of "
            + "different routes or a different verdict adds one, so it never goes back.")
    public Long version;

    @JsonPropertyDescription("The metadata.generation of the policy the router built this table from.")
    public Long observedGeneration;

    @JsonPropertyDescription("Whether the router serves the policy of observedGeneration. False: it refused it "
            + "(every request to its model gets 404) and message says which field is wrong.")
    public Boolean accepted;

    @JsonPropertyDescription("Why the router refused the policy, naming the field; absent when accepted.")
    public String message;

    @JsonPropertyDescription("Routes: every category the strategy can predict (or * for strategies without categories) "
            + "with its experts, then the fallback.")
    public List<Route> routes = new ArrayList<>();

    /** One row of the table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Route {
        @JsonPropertyDescription("Category, * (strategies without categories) or fallback (spec.fallback).")
        public String route;

        @JsonPropertyDescription("Expert name. For a category no route or expertise covers: spec.fallback, else each "
                + "generalist; absent when there is none either.")
        public String expert;

        @JsonPropertyDescription("Ready endpoints of that expert.")
        public Integer readyEndpoints;

        public Route() {
        }

        public Route(String route, String expert, int readyEndpoints) {
            this.route = route;
            this.expert = expert;
            this.readyEndpoints = readyEndpoints;
        }
    }
}
