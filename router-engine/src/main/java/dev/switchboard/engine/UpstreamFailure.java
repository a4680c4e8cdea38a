package dev.switchboard.engine;

import dev.switchboard.api.v1alpha1.RetryCondition;

/**
 * Why one attempt to reach an expert failed. The labels are the values of the {@code kind} label of
 * switchboard_upstream_errors_total and of {@code spec.failover.retryOn}; dashboards and alerts match them, so
 * they never change.
 */
public enum UpstreamFailure {
    /** No connection (refused, unresolvable, connect timeout, a malformed endpoint URL). */
    CONNECT_ERROR("connectError"),
    /** No response head within timeouts.firstByte, or no complete answer within timeouts.request. */
    TIMEOUT("timeout"),
    /** HTTP 5xx. */
    SERVER_ERROR("5xx"),
    /** HTTP 429. */
    TOO_MANY_REQUESTS("429"),
    /** The connection or stream was reset before a response head arrived. */
    RESET("reset"),
    /** The answer broke after its head was relayed to the client. */
    STREAM("stream"),
    /** The client went away while the expert was answering: not the expert's fault. */
    CLIENT_CANCEL("clientCancel");

    private final String label;

    UpstreamFailure(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The failure a {@code spec.failover.retryOn} entry names. */
    public static UpstreamFailure of(RetryCondition condition) {
        return switch (condition) {
            case CONNECT_ERROR -> CONNECT_ERROR;
            case TIMEOUT -> TIMEOUT;
            case SERVER_ERROR -> SERVER_ERROR;
            case TOO_MANY_REQUESTS -> TOO_MANY_REQUESTS;
        };
    }

    /** The retryable failure an HTTP status stands for (5xx, 429), or null for any other status. */
    public static UpstreamFailure ofStatus(int status) {
        return status >= 500 ? SERVER_ERROR : status == 429 ? TOO_MANY_REQUESTS : null;
    }
}
