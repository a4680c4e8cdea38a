package dev.switchboard.api.rules;

import java.util.Objects;

/**
 * Something wrong with a resource as written: the field path (e.g. {@code spec.strategy.static.experts[1].name})
 * and what is wrong with it. {@link #toString()} is the one-line form used in conditions and logs.
 */
public record Problem(String field, String message) {
    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
