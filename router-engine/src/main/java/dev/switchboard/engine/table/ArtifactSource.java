package dev.switchboard.engine.table;

import java.util.Optional;

/** Reads trained router artifacts (JSON) stored in ConfigMaps. */
@FunctionalInterface
public interface ArtifactSource {
    ArtifactSource NONE = (namespace, configMap, key) -> Optional.empty();

    /** The value of {@code key} in ConfigMap {@code configMap} of {@code namespace}; empty when absent. */
    Optional<String> artifact(String namespace, String configMap, String key);
}
