package dev.switchboard.operator.trust;

import java.util.Objects;

/**
 * A field of an ExpertModel or RoutingPolicy that asks for more than the admin allows its authors (or a Secret not
 * granted to Switchboard): the field, the reason (CamelCase, the rule's name, used as the condition reason) and a
 * message naming the rule's Helm value.
 */
public record Violation(String field, String reason, String message) {
    public static final String IMAGE_NOT_ALLOWED = "ImageNotAllowed";
    public static final String PRIORITY_CLASS_NOT_ALLOWED = "PriorityClassNotAllowed";
    public static final String RUNTIME_CLASS_NOT_ALLOWED = "RuntimeClassNotAllowed";
    public static final String TOLERATION_NOT_ALLOWED = "TolerationNotAllowed";
    public static final String AFFINITY_NOT_ALLOWED = "AffinityNotAllowed";
    public static final String ENV_NOT_ALLOWED = "EnvNotAllowed";
    public static final String REMOTE_CODE_NOT_ALLOWED = "RemoteCodeNotAllowed";
    public static final String ENDPOINT_NOT_ALLOWED = "EndpointNotAllowed";
    public static final String PLAIN_HTTP_NOT_ALLOWED = "PlainHttpNotAllowed";
    /** A Secret the resource names has not been granted to Switchboard by its owner (docs/security.md). */
    public static final String SECRET_NOT_GRANTED = "SecretNotGranted";

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
