package dev.switchboard.engine.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.engine.Endpoint;

import java.util.List;

/** The ready endpoints of an expert right now (EndpointSlices in a cluster, the external URL, or a YAML file). */
@FunctionalInterface
public interface ExpertEndpoints {
    /** Ready endpoints of {@code expert}; empty when none is ready. */
    List<Endpoint> ready(ExpertModel expert);
}
