package dev.switchboard.router.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** The span of one upstream attempt: the status the expert answered, or the failure kind; ended once. */
public final class AttemptSpan {
    public static final AttemptSpan NONE = new AttemptSpan(Span.getInvalid());

    private final Span span;
    private boolean ended;

    AttemptSpan(Span span) {
        this.span = span;
    }

    public void status(int status) {
        span.setAttribute("http.response.status_code", (long) status);
        if (status >= 500) {
            span.setAttribute("error.type", Integer.toString(status));
            span.setStatus(StatusCode.ERROR);
        }
    }

    /** The attempt failed (an UpstreamFailure label: connectError, timeout, 5xx, 429, reset, stream...). */
    public void failed(String kind) {
        span.setAttribute("error.type", kind);
        span.setStatus(StatusCode.ERROR);
    }

    public void end() {
        if (!ended) {
            ended = true;
            span.end();
        }
    }
}
