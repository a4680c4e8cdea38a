package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.limits.TenantLimiter;
import dev.switchboard.router.metrics.Outcome;
import dev.switchboard.router.metrics.RequestsInFlight;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.DecisionHeaders;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.proxy.AnswerSink;
import dev.switchboard.router.proxy.EndToEndHeaders;
import dev.switchboard.router.proxy.ProxyExchange;
import dev.switchboard.router.proxy.RequestModelCalls;
import dev.switchboard.router.tracing.RequestSpan;
import dev.switchboard.router.shadow.LiveAnswer;
import dev.switchboard.router.usage.TokenUsage;
import dev.switchboard.router.usage.UsageMeter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * One client request from arrival to the end of its response, and the one owner of its accounting: it counts the
 * request in flight when created and out when the response is over (ended, failed or its connection lost), so no
 * exit (an answer, a rejection, an exception, the client leaving) can leak the count; the outcome that its paths
 * settle labels the decision metric then. It is also the {@link AnswerSink} the proxy relays the chosen answer to.
 * Event loop only.
 */
final class ClientExchange implements AnswerSink {
    private final RoutingContext ctx;
    private final HttpServerResponse out;
    private final ExchangeServices services;
    private final RouterMetrics metrics;
    private final RequestsInFlight.Handle inFlight;
    private final long startedNanos = System.nanoTime();
    private final RequestSpan span;

    private Tenant tenant;
    private TenantLimiter.Permit permit;
    private boolean stream;
    private boolean dropUsageChunk;
    private long inputEstimate;
    private UsageMeter meter = UsageMeter.NONE;
    /**
     * A whole answer's latest chunk, written only when the next one arrives or at the end: a client that knows the
     * length has the answer with its last byte, so that byte waits until the tenant's slot is back and its usage
     * charged, or a client quick with its next request would be refused (or admitted) on stale counters.
     */
    private Buffer heldBack;

    private String model;
    private Decision decision;
    private ProxyExchange proxy;
    private ExpertInfo served;
    private Outcome outcome;
    private String outcomeExpert;
    private boolean over;
    private boolean accounted;
    private LiveAnswer sample;

    private ClientExchange(RoutingContext ctx, ExchangeServices services) {
        this.ctx = ctx;
        this.out = ctx.response();
        this.services = services;
        this.metrics = services.metrics();
        this.inFlight = metrics.requestsInFlight().enter();
        this.span = services.tracing().request(ctx.request());
    }

    /** Counts the request in; it is counted out when its response is over, whichever code path ended it. */
    static ClientExchange begin(RoutingContext ctx, ExchangeServices services) {
        ClientExchange exchange = new ClientExchange(ctx, services);
        // Vert.x-web calls this once: when the response ended, or failed or lost its connection before that.
        ctx.addEndHandler(ar -> exchange.responseOver(ar.succeeded()));
        return exchange;
    }

    /** The caller and the concurrency slot its limits gave it (handed back when the response is over). */
    void admitted(Tenant tenant, TenantLimiter.Permit permit) {
        this.tenant = tenant;
        this.permit = permit;
        span.tenant(tenant.name());
    }

    /** The model the client named (known once the body is parsed). */
    void requested(String model) {
        span.model(model);
    }

    /** The trace context of this request: upstream attempts are its children. */
    io.opentelemetry.context.Context traceContext() {
        return span.context();
    }

    Tenant tenant() {
        return tenant;
    }

    /**
     * How the answer's usage is read: a stream's usage event (asked for on the client's behalf when
     * {@code dropUsageChunk}, and then not relayed), else the answer's body; {@code inputEstimate} stands in for
     * input tokens when the expert reports none.
     */
    void metering(boolean stream, boolean dropUsageChunk, long inputEstimate) {
        this.stream = stream;
        this.dropUsageChunk = dropUsageChunk;
        this.inputEstimate = inputEstimate;
    }

    /** True once the response is over, e.g. the client left while its strategy was deciding. */
    boolean over() {
        return over;
    }

    /** The decision for {@code model}: recorded once, and the labels of the outcome. */
    void decided(String model, Decision decision) {
        this.model = model;
        this.decision = decision;
        metrics.routingDuration(System.nanoTime() - startedNanos);
        metrics.confidence(decision.policy(), decision.confidence());
        span.decided(decision);
        if (decision.fellBack()) {
            metrics.fallback(decision.fallbackReason());
        }
    }

    /** The decision is the answer (/v1/route, x-switchboard-dry-run). */
    void dryRun(Buffer json) {
        closing();
        DecisionHeaders.write(out.headers(), decision, decision.expert(), decision.fallbackReason());
        settle(Outcome.DRY_RUN, decision.expert());
        out.putHeader("content-type", "application/json").end(json);
    }

    /** The strategy answered itself. */
    void direct(Buffer completion) {
        closing();
        DecisionHeaders.write(out.headers(), decision, decision.strategy(), decision.fallbackReason());
        settle(Outcome.DIRECT, null);
        out.putHeader("content-type", "application/json").end(completion);
    }

    /** A shadow comparison samples this request: the answer relayed is captured for it (null: not sampled). */
    void sampledBy(LiveAnswer capture) {
        this.sample = capture;
    }

    /** The proxy now answers this request; it is cancelled if the client leaves. */
    void proxiedBy(ProxyExchange exchange) {
        this.proxy = exchange;
    }

    /** Refused before an answer: no decision metric (there may be no decision). */
    void reject(OpenAiError error) {
        span.error(error.status(), error.code());
        closing();
        error.send(out);
    }

    /** Refused before an answer, with the failure's Retry-After. */
    void reject(OpenAiError.Failure failure) {
        span.error(failure.error().status(), failure.error().code());
        closing();
        failure.send(out);
    }

    @Override
    public void head(int status, MultiMap headers, ExpertInfo expert, List<String> failures) {
        served = expert;
        out.setStatusCode(status);
        MultiMap outHeaders = out.headers();
        EndToEndHeaders.copy(headers, outHeaders);
        String fallbackReason = fallbackReason(expert, failures);
        DecisionHeaders.write(outHeaders, decision, expert.name(), fallbackReason);
        span.answeredBy(expert.name(), expert.upstreamModel(), status, fallbackReason);
        if (status < 400 && tenant != null) {
            meter = UsageMeter.of(stream, dropUsageChunk);
        }
        String length = headers.get("content-length");
        if (length != null && meter.preservesLength()) {
            outHeaders.set("content-length", length);
        } else {
            out.setChunked(true);
        }
    }

    @Override
    public void write(Buffer chunk) {
        Buffer relayed = meter.relay(chunk);
        if (relayed.length() == 0) {
            return;
        }
        if (sample != null) {
            sample.relayed(relayed); // in the order relayed, whether or not held back a moment
        }
        if (stream) {
            out.write(relayed); // a stream ends with its terminating chunk, written after closing()
            return;
        }
        if (heldBack != null) {
            out.write(heldBack);
        }
        heldBack = relayed;
    }

    @Override
    public boolean writeQueueFull() {
        return out.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable drained) {
        out.drainHandler(v -> drained.run());
    }

    @Override
    public void end(Outcome answered) {
        settle(answered, served.name());
        Buffer rest = meter.finish();
        closing();
        if (heldBack != null) {
            out.write(heldBack);
            heldBack = null;
        }
        if (rest != null && rest.length() > 0) {
            out.write(rest);
            if (sample != null) {
                sample.relayed(rest);
            }
        }
        if (sample != null) {
            sample.answered(served.name());
        }
        out.end();
    }

    @Override
    public void unavailable(List<String> failures) {
        DecisionHeaders.write(out.headers(), decision, null, decision.fallbackReason());
        settle(Outcome.UNAVAILABLE, null);
        span.error(503, "experts_unavailable");
        closing();
        OpenAiError.unavailable("no expert could answer model '" + model + "': " + String.join("; ", failures))
                .send(out);
    }

    @Override
    public void cut(ExpertInfo expert) {
        settle(Outcome.UPSTREAM_ERROR, expert.name());
        span.error(502, "stream_cut");
        closing();
        // the client sees a truncated answer rather than a complete-looking one
        ctx.request().connection().close();
    }

    @Override
    public void unrelayable(ExpertInfo expert, String reason) {
        settle(Outcome.UPSTREAM_ERROR, expert.name());
        span.error(502, "bad_gateway");
        closing();
        if (out.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        out.headers().clear();
        out.setChunked(false);
        new OpenAiError(502, "expert " + expert.name() + " failed: " + reason, "server_error", null,
                "bad_gateway").send(out);
    }

    private String fallbackReason(ExpertInfo answered, List<String> failures) {
        if (answered.name().equals(decision.expert())) {
            return decision.fallbackReason();
        }
        String failoverReason = "failover: " + String.join("; ", failures);
        return decision.fallbackReason() == null ? failoverReason
                : decision.fallbackReason() + "; " + failoverReason;
    }

    /** The first outcome a path settles is the one counted. */
    private void settle(Outcome o, String expert) {
        if (outcome == null) {
            outcome = o;
            outcomeExpert = expert;
        }
    }

    private void responseOver(boolean completed) {
        if (over) {
            return;
        }
        over = true;
        try {
            if (!completed) {
                // The connection went first: the client left. Stop the expert it was waiting for, and any model its
                // strategy is still asking (the decision then ends at once and no expert is called).
                RequestModelCalls.cancelAll(io.vertx.core.Vertx.currentContext());
                settle(Outcome.CLIENT_CANCEL, proxy == null ? null : proxy.cancel());
            }
            if (outcome != null && decision != null) {
                metrics.decision(decision.policy(), decision.strategy(), decision.category(), outcomeExpert, outcome);
                if (outcome == Outcome.SUCCESS && !outcomeExpert.equals(decision.expert())) {
                    metrics.fallback("failover");
                }
            }
            account();
            if (sample != null) {
                sample.lost(); // no-op when the answer was over
            }
        } finally {
            span.end(outcome == null ? null : outcome.label());
            if (permit != null) {
                permit.close();
            }
            inFlight.close();
        }
    }

    /**
     * The answer's last bytes are about to go out: the tenant's concurrency slot goes back and its usage is charged
     * now, so a client that sends its next request the moment it has this answer is not refused for it.
     */
    private void closing() {
        if (permit != null) {
            permit.close();
        }
        account();
    }

    /** What the tenant used (once): the answer's usage (or its estimate when the stream was cut), at the expert's prices. */
    private void account() {
        if (tenant == null || decision == null || accounted) {
            return;
        }
        accounted = true;
        boolean metered = served != null && meter != UsageMeter.NONE; // error answers cost nothing
        TokenUsage usage = metered ? meter.usage(inputEstimate) : TokenUsage.NONE;
        double cost = metered ? served.pricing().cost(usage.input(), usage.output()) : 0;
        if (metered) {
            span.usage(usage.input(), usage.output(), usage.estimated());
        }
        services.ledger().record(tenant.name(), decision.policy(), served == null ? null : served.name(), usage,
                cost);
        services.limiter().charge(tenant, usage.total(), cost);
    }
}
