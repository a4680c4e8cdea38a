package dev.switchboard.router.tracing;

import dev.switchboard.engine.Decision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * The span of one client request: the model asked for, the routing decision (policy, strategy, expert,
 * category, confidence, fallback reason), the expert that answered, the usage and the outcome. Ended once, when
 * the response is over. Event loop only.
 */
public final class RequestSpan {
    /** For requests that are not traced (e.g. built without a server request). */
    public static final RequestSpan NONE = new RequestSpan(Span.getInvalid(), Context.root(), "none");

    private final Span span;
    private final Context context;
    private final String operation;
    private boolean ended;

    RequestSpan(Span span, Context context, String operation) {
        this.span = span;
        this.context = context;
        this.operation = operation;
    }

    /** The context the upstream attempts are children of. */
    public Context context() {
        return context;
    }

    public void model(String model) {
        span.setAttribute(GenAi.REQUEST_MODEL, model);
        span.updateName(operation + " " + model);
    }

    public void decided(Decision decision) {
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute("switchboard.policy", nn(decision.policy()));
        span.setAttribute("switchboard.strategy", nn(decision.strategy()));
        span.setAttribute("switchboard.decision.expert", nn(decision.expert()));
        if (decision.category() != null) {
            span.setAttribute("switchboard.category", decision.category());
        }
        span.setAttribute("switchboard.confidence", decision.confidence());
        if (decision.fallbackReason() != null) {
            span.setAttribute("switchboard.fallback_reason", decision.fallbackReason());
        }
    }

    /** The expert whose answer is relayed, its upstream model and the status it answered. */
    public void answeredBy(String expert, String upstreamModel, int status, String fallbackReason) {
        span.setAttribute(GenAi.EXPERT, expert);
        span.setAttribute(GenAi.RESPONSE_MODEL, upstreamModel);
        span.setAttribute("http.response.status_code", (long) status);
        if (fallbackReason != null) {
            span.setAttribute("switchboard.fallback_reason", fallbackReason);
        }
    }

    public void usage(long input, long output, boolean estimated) {
        span.setAttribute(GenAi.INPUT_TOKENS, input);
        span.setAttribute(GenAi.OUTPUT_TOKENS, output);
        if (estimated) {
            span.setAttribute("switchboard.usage.estimated", true);
        }
    }

    public void tenant(String tenant) {
        span.setAttribute("switchboard.tenant", tenant);
    }

    /** The request was refused or failed with this status and error code (error.type). */
    public void error(int status, String code) {
        span.setAttribute("http.response.status_code", (long) status);
        span.setAttribute("error.type", code == null ? Integer.toString(status) : code);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    /** Ends the span with the outcome (metrics.Outcome label) once. */
    public void end(String outcome) {
        if (ended) {
            return;
        }
        ended = true;
        if (outcome != null) {
            span.setAttribute("switchboard.outcome", outcome);
        }
        span.end();
    }

    private static String nn(String s) {
        return s == null ? "none" : s;
    }
}
