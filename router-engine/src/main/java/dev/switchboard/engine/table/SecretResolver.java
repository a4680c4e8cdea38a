package dev.switchboard.engine.table;

import dev.switchboard.api.v1alpha1.SecretKeyRef;

import java.util.Optional;

/** Reads a Secret key (API keys of external experts and embedding endpoints). */
@FunctionalInterface
public interface SecretResolver {
    SecretResolver NONE = (namespace, ref) -> Optional.empty();

    /** The value of {@code ref} in {@code namespace}; empty when the Secret or key does not exist. */
    Optional<String> resolve(String namespace, SecretKeyRef ref);
}
