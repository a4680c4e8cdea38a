package dev.switchboard.api.rules;

import java.util.Objects;

/**
 * One object a resource names, in its own namespace: its kind, its name and the field that names it (e.g.
 * {@code spec.external.apiKeySecretRef}).
 */
public record Reference(Kind kind, String name, String field) {
    /** The kinds of object Switchboard resources name. */
    public enum Kind {
        EXPERT_MODEL, SECRET, CONFIG_MAP, ROUTING_POLICY
    }

    public Reference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(field, "field");
    }
}
