package dev.switchboard.router.proxy;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.metrics.Outcome;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.DecisionHeaders;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.openai.OpenAiRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sends one client request to its experts: walks the candidates of its {@link RoutePlan} (skipping open breakers),
 * retries on connect errors, timeouts and 5xx until the first byte has been relayed, then relays the answer chunk
 * by chunk with backpressure. A client that goes away cancels the upstream call. Runs entirely on the event loop.
 */
public final class ProxyExchange {
    /** The shared collaborators of every exchange. */
    public record Services(Vertx vertx, HttpClient client, CircuitBreakers breakers, EndpointBalancer balancer,
                           RouterMetrics metrics, boolean forwardAuthorization) {
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProxyExchange.class);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade", "content-length");

    private final Services s;
    private final RoutingContext ctx;
    private final OpenAiRequest request;
    private final Decision decision;
    private final List<ExpertInfo> candidates;
    private final PolicyRoute.FailoverPolicy failover;
    private final PolicyRoute.Timeouts timeouts;
    private final List<String> failures = new ArrayList<>(2);

    private int nextCandidate;
    private int attempts;
    private boolean committed;
    private boolean finished;
    private boolean clientGone;
    private HttpClientRequest upstream;
    private Attempt current;

    public ProxyExchange(Services services, RoutingContext ctx, OpenAiRequest request, Decision decision,
                         RoutePlan plan) {
        this.s = services;
        this.ctx = ctx;
        this.request = request;
        this.decision = decision;
        this.candidates = plan.candidates();
        this.failover = plan.failover();
        this.timeouts = plan.timeouts();
    }

    /** One try against one endpoint of one expert. */
    private final class Attempt {
        final ExpertInfo expert;
        final Endpoint endpoint;
        final CircuitBreaker breaker;
        final long startNanos = System.nanoTime();
        long firstByteTimer = -1;
        long requestTimer = -1;
        boolean timedOut;
        boolean released;
        boolean verdict;

        Attempt(ExpertInfo expert, Endpoint endpoint, CircuitBreaker breaker) {
            this.expert = expert;
            this.endpoint = endpoint;
            this.breaker = breaker;
        }

        void releaseEndpoint() {
            if (!released) {
                released = true;
                s.balancer.release(endpoint);
            }
        }

        void success() {
            if (!verdict) {
                verdict = true;
                breaker.onSuccess();
            }
        }

        void failure(UpstreamFailure kind) {
            s.metrics.upstreamError(expert.name(), kind);
            if (!verdict) {
                verdict = true;
                breaker.onFailure(failover.breakerFailures(), failover.breakerOpenFor(), System.nanoTime());
            }
        }

        void cancelTimers() {
            if (firstByteTimer >= 0) {
                s.vertx.cancelTimer(firstByteTimer);
                firstByteTimer = -1;
            }
            if (requestTimer >= 0) {
                s.vertx.cancelTimer(requestTimer);
                requestTimer = -1;
            }
        }
    }

    public void start() {
        ctx.response().closeHandler(v -> onClientClosed());
        next();
    }

    private void next() {
        if (clientGone || finished) {
            return;
        }
        while (nextCandidate < candidates.size() && attempts < failover.maxAttempts()) {
            ExpertInfo expert = candidates.get(nextCandidate++);
            if (!expert.routable()) {
                failures.add(expert.name() + ": no ready endpoints");
                continue;
            }
            CircuitBreaker breaker = s.breakers.of(expert.namespace(), expert.name());
            if (!breaker.tryAcquire(System.nanoTime())) {
                failures.add(expert.name() + ": circuit breaker open");
                continue;
            }
            attempts++;
            send(expert, breaker);
            return;
        }
        if (candidates.isEmpty()) {
            failures.add("no candidate experts");
        } else if (attempts >= failover.maxAttempts() && nextCandidate < candidates.size()) {
            failures.add("failover.maxAttempts (" + failover.maxAttempts() + ") reached");
        }
        fail(OpenAiError.unavailable("no expert could answer model '" + request.model() + "': "
                + String.join("; ", failures)), Outcome.UNAVAILABLE);
    }

    private void send(ExpertInfo expert, CircuitBreaker breaker) {
        Endpoint endpoint = s.balancer.pick(expert.endpoints());
        s.balancer.acquire(endpoint);
        Attempt a = new Attempt(expert, endpoint, breaker);
        current = a;
        UpstreamTarget target;
        try {
            target = UpstreamTarget.of(endpoint.baseUrl());
        } catch (IllegalArgumentException e) {
            attemptFailed(a, UpstreamFailure.CONNECT_ERROR, e.getMessage());
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setSsl(target.ssl()).setURI(target.uri(request.apiPath()))
                .setConnectTimeout(timeouts.connect().toMillis())
                .putHeader("content-type", "application/json");
        String accept = ctx.request().getHeader("accept");
        if (accept != null) {
            options.putHeader("accept", accept);
        }
        if (expert.apiKey() != null) {
            options.putHeader("authorization", "Bearer " + expert.apiKey());
        } else if (s.forwardAuthorization) {
            String auth = ctx.request().getHeader("authorization");
            if (auth != null) {
                options.putHeader("authorization", auth);
            }
        }
        Buffer body = request.body().put("model", expert.upstreamModel()).toBuffer();
        a.requestTimer = s.vertx.setTimer(timeouts.request().toMillis(), id -> onRequestTimeout(a));
        s.client.request(options).onComplete(ar -> {
            if (a != current || finished || clientGone) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                attemptFailed(a, a.timedOut ? UpstreamFailure.TIMEOUT : UpstreamFailure.CONNECT_ERROR,
                        message(ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            upstream = req;
            a.firstByteTimer = s.vertx.setTimer(timeouts.firstByte().toMillis(), id -> {
                a.firstByteTimer = -1;
                a.timedOut = true;
                req.reset(0, new NoStackTraceThrowable("no response within " + timeouts.firstByte()));
            });
            req.send(body).onComplete(rar -> {
                if (a != current || finished || clientGone) {
                    return;
                }
                if (rar.failed()) {
                    attemptFailed(a, a.timedOut ? UpstreamFailure.TIMEOUT : UpstreamFailure.RESET, a.timedOut
                            ? "no response within " + timeouts.firstByte() : message(rar.cause()));
                } else {
                    try {
                        onResponse(a, rar.result());
                    } catch (RuntimeException e) {
                        // e.g. a response head Vert.x refuses to copy: answer rather than leave the client waiting.
                        LOG.error("relaying the answer of " + a.expert.name() + " failed", e);
                        a.failure(UpstreamFailure.STREAM);
                        abortUpstream();
                        if (!ctx.response().headWritten()) {
                            ctx.response().headers().clear();
                            ctx.response().setChunked(false);
                            new OpenAiError(502, "the answer of expert " + a.expert.name() + " could not be relayed: "
                                    + e.getClass().getSimpleName(), "server_error", null, "bad_gateway")
                                    .send(ctx.response());
                        } else {
                            ctx.request().connection().close();
                        }
                        finish(a, Outcome.UPSTREAM_ERROR);
                    }
                }
            });
        });
    }

    private void onResponse(Attempt a, HttpClientResponse resp) {
        int status = resp.statusCode();
        UpstreamFailure retryKind = UpstreamFailure.ofStatus(status);
        // A retryable failure is never relayed: the next candidate gets it, or the client a 503 listing every reason.
        if (retryKind != null && failover.retryOn().contains(retryKind)) {
            if (a.firstByteTimer >= 0) {
                s.vertx.cancelTimer(a.firstByteTimer);
                a.firstByteTimer = -1;
            }
            // Read the error body (keeps the connection reusable) and keep a bit of it for the final message.
            resp.body().onComplete(b -> {
                String detail = b.succeeded() ? abbreviate(b.result().toString()) : "";
                attemptFailed(a, retryKind, "HTTP " + status + (detail.isEmpty() ? "" : " " + detail));
            });
            return;
        }
        commit(a, resp);
    }

    private void commit(Attempt a, HttpClientResponse resp) {
        committed = true;
        if (a.firstByteTimer >= 0) {
            s.vertx.cancelTimer(a.firstByteTimer);
            a.firstByteTimer = -1;
        }
        int status = resp.statusCode();
        if (status >= 500) {
            a.failure(UpstreamFailure.SERVER_ERROR);
        } else {
            a.success();
        }
        HttpServerResponse out = ctx.response();
        out.setStatusCode(status);
        MultiMap outHeaders = out.headers();
        for (var h : resp.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                outHeaders.add(h.getKey(), h.getValue());
            }
        }
        DecisionHeaders.write(outHeaders, decision, a.expert.name(), fallbackReason(a.expert));
        String length = resp.getHeader("content-length");
        if (length != null) {
            outHeaders.set("content-length", length);
        } else {
            out.setChunked(true);
        }
        boolean[] first = {true};
        resp.handler(chunk -> {
            if (first[0]) {
                first[0] = false;
                s.metrics.firstToken(a.expert.name(), System.nanoTime() - a.startNanos);
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                resp.pause();
                out.drainHandler(v -> resp.resume());
            }
        });
        resp.exceptionHandler(t -> {
            if (finished) {
                return;
            }
            // After the first byte there is no retry: cut the client's response so it sees a truncated answer.
            a.failure(a.timedOut ? UpstreamFailure.TIMEOUT : UpstreamFailure.STREAM);
            finish(a, Outcome.UPSTREAM_ERROR);
            ctx.request().connection().close();
        });
        resp.endHandler(v -> {
            if (finished) {
                return;
            }
            out.end();
            finish(a, status < 400 ? Outcome.SUCCESS : Outcome.UPSTREAM_ERROR);
        });
    }

    private String fallbackReason(ExpertInfo served) {
        if (served.name().equals(decision.expert())) {
            return decision.fallbackReason();
        }
        String failoverReason = "failover: " + String.join("; ", failures);
        return decision.fallbackReason() == null ? failoverReason
                : decision.fallbackReason() + "; " + failoverReason;
    }

    private void onRequestTimeout(Attempt a) {
        a.requestTimer = -1;
        if (finished || a != current) {
            return;
        }
        a.timedOut = true;
        if (!committed) {
            if (upstream != null) {
                upstream.reset(0, new NoStackTraceThrowable("request timeout"));
            }
            attemptFailed(a, UpstreamFailure.TIMEOUT, "no complete answer within " + timeouts.request());
        } else {
            a.failure(UpstreamFailure.TIMEOUT);
            finish(a, Outcome.UPSTREAM_ERROR);
            abortUpstream();
            ctx.request().connection().close();
        }
    }

    /** Stops the upstream call: resets the stream and closes its connection so the expert stops generating. */
    private void abortUpstream() {
        HttpClientRequest req = upstream;
        if (req != null) {
            req.reset();
            if (req.connection() != null) {
                req.connection().close();
            }
        }
    }

    private void attemptFailed(Attempt a, UpstreamFailure kind, String detail) {
        if (a != current || a.verdict && a.released) {
            return;
        }
        a.cancelTimers();
        a.failure(kind);
        a.releaseEndpoint();
        failures.add(a.expert.name() + ": " + kind.label()
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        upstream = null;
        current = null;
        next();
    }

    private void onClientClosed() {
        if (finished) {
            return;
        }
        clientGone = true;
        Attempt a = current;
        if (a != null) {
            a.cancelTimers();
            s.metrics.upstreamError(a.expert.name(), UpstreamFailure.CLIENT_CANCEL);
            if (!a.verdict) {
                a.verdict = true;
                a.breaker.release();
            }
        }
        abortUpstream();
        finish(a, Outcome.CLIENT_CANCEL);
    }

    private void fail(OpenAiError error, Outcome outcome) {
        if (finished) {
            return;
        }
        HttpServerResponse out = ctx.response();
        DecisionHeaders.write(out.headers(), decision, null, decision.fallbackReason());
        error.send(out);
        finish(null, outcome);
    }

    private void finish(Attempt a, Outcome outcome) {
        if (finished) {
            return;
        }
        finished = true;
        String expert = null;
        if (a != null) {
            a.cancelTimers();
            a.releaseEndpoint();
            expert = a.expert.name();
            if (outcome != Outcome.CLIENT_CANCEL) {
                s.metrics.upstreamDuration(expert, System.nanoTime() - a.startNanos);
            }
            if (!expert.equals(decision.expert()) && outcome == Outcome.SUCCESS) {
                s.metrics.fallback("failover");
            }
        }
        s.metrics.decision(decision.policy(), decision.strategy(), decision.category(), expert, outcome);
        s.metrics.inFlight().decrementAndGet();
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ').strip();
        return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
    }
}
