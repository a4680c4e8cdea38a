package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one router replica intended to send to each expert during its last window, for the autoscaler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DemandStatus {
    @JsonPropertyDescription("When the window ended (RFC 3339); the autoscaler ignores reports older than three "
            + "windows.")
    public String observedAt;

    @JsonPropertyDescription("Length of the window in seconds.")
    public Integer windowSeconds;

    @JsonPropertyDescription("Demand per expert name, including requests held for a cold expert or sent to a "
            + "fallback because it was down, cold or saturated.")
    public Map<String, ExpertDemand> experts = new LinkedHashMap<>();

    /** One expert's demand as one router replica saw it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ExpertDemand {
        @JsonPropertyDescription("Most requests at once whose first choice was the expert (answered, held or "
                + "diverted).")
        public Integer inFlight;

        @JsonPropertyDescription("Requests whose first choice was the expert.")
        public Long requests;

        @JsonPropertyDescription("Requests held now, waiting for the expert to have a ready replica.")
        public Integer held;

        @JsonPropertyDescription("Requests sent elsewhere because the expert was down, cold or saturated.")
        public Long diverted;

        public ExpertDemand() {
        }

        public ExpertDemand(int inFlight, long requests, int held, long diverted) {
            this.inFlight = inFlight;
            this.requests = requests;
            this.held = held;
            this.diverted = diverted;
        }
    }
}
