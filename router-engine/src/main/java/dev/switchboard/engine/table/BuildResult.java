package dev.switchboard.engine.table;

import java.util.Map;

/**
 * A routing table plus what could not go into it.
 *
 * @param errors         policy key (namespace/name) to why the policy was left out, naming the offending field
 * @param expertProblems expert key (namespace/name) to why the expert is not routable although it has endpoints
 *                       (e.g. its API key Secret is missing)
 * @param shadowProblems live policy key (namespace/name) to why its spec.shadow is skipped (the live policy is
 *                       served all the same)
 */
public record BuildResult(RoutingTable table, Map<String, String> errors, Map<String, String> expertProblems,
                          Map<String, String> shadowProblems) {
    public BuildResult {
        errors = Map.copyOf(errors);
        expertProblems = Map.copyOf(expertProblems);
        shadowProblems = Map.copyOf(shadowProblems);
    }

    public BuildResult(RoutingTable table, Map<String, String> errors, Map<String, String> expertProblems) {
        this(table, errors, expertProblems, Map.of());
    }

    public BuildResult(RoutingTable table, Map<String, String> errors) {
        this(table, errors, Map.of());
    }

    public boolean ok() {
        return errors.isEmpty() && expertProblems.isEmpty();
    }
}
