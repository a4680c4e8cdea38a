package dev.switchboard.router.metrics;

/**
 * How a client request that got a routing decision ended: the {@code outcome} label of
 * switchboard_route_decisions_total. Dashboards, alerts and their promtool tests match the labels, so they never
 * change.
 */
public enum Outcome {
    /** An expert answered with a status below 400. */
    SUCCESS("success"),
    /** The expert's answer was an error (status 400 or more, relayed) or broke while it was relayed. */
    UPSTREAM_ERROR("upstream_error"),
    /** No candidate expert could answer: the client got a 503. */
    UNAVAILABLE("unavailable"),
    /** The client went away before its answer was complete. */
    CLIENT_CANCEL("client_cancel"),
    /** A dry run: the decision was the answer. */
    DRY_RUN("dry_run"),
    /** The strategy answered itself (metaLLM's meta model). */
    DIRECT("direct");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
