package dev.switchboard.router.metrics;

/** Requests in flight to experts right now, for the switchboard_upstream_in_flight gauge (the proxy's balancer). */
public interface UpstreamLoad {
    /** Total requests in flight to all expert endpoints. */
    int total();
}
