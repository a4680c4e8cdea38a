package dev.switchboard.engine;

import java.util.Optional;

/** What a strategy may use while it is built: the policy's encoder and its trained artifact, if any. */
public interface StrategyContext {
    /** The encoder configured for the policy (spec.embedding), shared and cached across table versions. */
    Encoder encoder();

    /** Raw JSON of a trained artifact from ConfigMap {@code name}, key {@code key}; empty when absent. */
    Optional<String> artifact(String configMapName, String key);
}
