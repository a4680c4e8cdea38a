package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Upstream failures that make the router try the next expert. */
public enum RetryCondition {
    @JsonProperty("connectError")
    CONNECT_ERROR,
    @JsonProperty("timeout")
    TIMEOUT,
    @JsonProperty("5xx")
    SERVER_ERROR,
    @JsonProperty("429")
    TOO_MANY_REQUESTS
}
