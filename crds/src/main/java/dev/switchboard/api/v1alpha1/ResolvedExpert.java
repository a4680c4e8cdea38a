package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An expert a policy selected, as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResolvedExpert {
    @JsonPropertyDescription("ExpertModel name.")
    public String name;

    @JsonPropertyDescription("Whether the ExpertModel exists.")
    public Boolean found;

    @JsonPropertyDescription("Whether the ExpertModel is Ready.")
    public Boolean ready;

    @JsonPropertyDescription("Served model name of the expert.")
    public String servedModelName;

    public ResolvedExpert() {
    }

    public ResolvedExpert(String name, boolean found, boolean ready, String servedModelName) {
        this.name = name;
        this.found = found;
        this.ready = ready;
        this.servedModelName = servedModelName;
    }
}
