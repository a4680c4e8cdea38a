package dev.switchboard.engine;

/** A policy that cannot be served as written; the message names the field and what is wrong. */
public class InvalidPolicyException extends RuntimeException {
    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
