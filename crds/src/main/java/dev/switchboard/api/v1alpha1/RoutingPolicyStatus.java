package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

/** Observed state of a routing policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingPolicyStatus extends SwitchboardStatus {
    @JsonPropertyDescription("Base URL of the router's OpenAI-compatible API.")
    public String endpoint;

    @JsonPropertyDescription("Model name clients send.")
    public String modelName;

    @JsonPropertyDescription("Experts the policy selects and their readiness.")
    public List<ResolvedExpert> experts = new ArrayList<>();

    @JsonPropertyDescription("Ready experts out of those selected, e.g. 3/4.")
    public String readyExperts;

    @JsonPropertyDescription("The effective routing table and whether the router serves the policy; written by the "
            + "router.")
    public RoutingTableStatus routingTable;

    @JsonPropertyDescription("When this policy decides in shadow on another policy's requests: its agreement with "
            + "that policy; written by that policy's routers.")
    public ShadowStatus shadow;

    @JsonPropertyDescription("Demand per router replica (by pod name), written by the routers for the built-in "
            + "autoscaler; the operator removes a replica's entry 5 minutes after its last report.")
    public java.util.Map<String, DemandStatus> demand;

    @JsonPropertyDescription("One word for printer columns: Pending, Ready or Degraded.")
    public String phase;
}
