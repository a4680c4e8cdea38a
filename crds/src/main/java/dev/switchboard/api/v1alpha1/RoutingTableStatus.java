package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/** The routing table the router serves for a policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingTableStatus {
    @JsonPropertyDescription("Version of the router's table; grows with every change.")
    public Long version;

    @JsonPropertyDescription("Routes: a category (or * for strategies without categories) and its experts.")
    public List<Route> routes = new ArrayList<>();

    /** One row of the table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Route {
        @JsonPropertyDescription("Category, cluster or * .")
        public String route;

        @JsonPropertyDescription("Expert name.")
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
