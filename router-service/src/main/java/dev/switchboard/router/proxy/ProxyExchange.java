package dev.switchboard.router.proxy;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.demand.ColdStartHolds;
import dev.switchboard.router.demand.DemandTracker;
import dev.switchboard.router.metrics.Outcome;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.picking.PickRequest;
import dev.switchboard.router.tracing.RouterTracing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.NoStackTraceThrowable;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends one request along a {@link RoutePlan}: walks its candidates (skipping unroutable experts and open
 * breakers), fails over on connect errors, timeouts and retryable statuses until it commits to an answer, then
 * relays that answer to its {@link AnswerSink} chunk by chunk with backpressure. Knows nothing of who asked: a
 * client's response and a strategy's model call are both sinks. Runs on one event loop.
 */
public final class ProxyExchange {
    /** The shared collaborators of every exchange. */
    record Services(Vertx vertx, HttpClient client, CircuitBreakers breakers, EndpointBalancer balancer,
                    RouterMetrics metrics, EndpointPicker picker, int maxInFlightPerEndpoint, ColdStartHolds holds,
                    DemandTracker demand, RouterTracing tracing) {
    }

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);

    private final Services s;
    private final UpstreamRequest request;
    private final RoutePlan plan;
    private final PolicyRoute.FailoverPolicy failover;
    private final PolicyRoute.Timeouts timeouts;
    private final AnswerSink sink;
    private final List<String> failures = new ArrayList<>(2);
    private final PickRequest pickRequest;

    private int nextCandidate;
    private int attempts;
    private boolean committed;
    private boolean finished;
    private boolean firstChunk = true;
    private boolean cancelling;
    private Attempt current;
    /** The plan's first choice, whose demand this request is; null for an empty plan. */
    private ExpertInfo intended;
    /** Waiting for a cold expert to start, or null. */
    private ColdStartHolds.Hold hold;

    ProxyExchange(Services services, UpstreamRequest request, RoutePlan plan, AnswerSink sink) {
        this.s = services;
        this.request = request;
        this.plan = plan;
        this.failover = plan.failover();
        this.timeouts = plan.timeouts();
        this.sink = sink;
        this.pickRequest = new PickRequest(request.body(), request.session());
    }

    void start() {
        intended = plan.first();
        if (intended != null) {
            s.demand().arrive(intended);
        }
        next();
    }

    /**
     * The asker went away: stops the expert's answer without holding it against the expert. Nothing more reaches
     * the sink.
     *
     * @return the expert being asked at that moment, or null
     */
    public String cancel() {
        if (finished) {
            return null;
        }
        Attempt a = current;
        if (hold != null) {
            hold.cancel();
            hold = null;
        }
        if (a != null) {
            a.span.failed(UpstreamFailure.CLIENT_CANCEL.label());
        }
        // Finished first: resetting the upstream stream fires its exception handler at once, which must not
        // count the reset as the expert's failure.
        cancelling = true;
        finish(a, false);
        if (a != null) {
            a.cancelled();
            a.abort();
        }
        return a == null ? null : a.expert.name();
    }

    private void next() {
        if (finished) {
            return;
        }
        List<ExpertInfo> candidates = plan.candidates();
        while (nextCandidate < candidates.size() && attempts < failover.maxAttempts()) {
            ExpertInfo expert = candidates.get(nextCandidate++);
            if (expert.cold()) {
                if (holdFor(expert)) {
                    return;
                }
                continue;
            }
            if (!expert.routable()) {
                failures.add(expert.name() + ": no ready endpoints");
                continue;
            }
            if (attempt(expert)) {
                return;
            }
        }
        if (candidates.isEmpty()) {
            failures.add("no candidate experts");
        } else if (attempts >= failover.maxAttempts() && nextCandidate < candidates.size()) {
            failures.add("failover.maxAttempts (" + failover.maxAttempts() + ") reached");
        }
        finish(null, false);
        sink.unavailable(List.copyOf(failures));
    }

    /**
     * The normal attempt path, for an expert with ready endpoints (at once, or a held request once its expert is
     * up): its breaker under the plan's policy, a replica below switchboard.overload's per-endpoint bound, then
     * the call. False when it was skipped, the reason in the failures.
     */
    private boolean attempt(ExpertInfo expert) {
        CircuitBreaker breaker = s.breakers().of(plan.scope(), expert.namespace(), expert.name());
        if (!breaker.tryAcquire(System.nanoTime())) {
            failures.add(expert.name() + ": circuit breaker open");
            return false;
        }
        EndpointPicker.Pick pick = pickBelowBound(expert);
        if (pick == null) {
            // our own bound, not the expert's fault: no breaker verdict (a half-open trial goes back unused),
            // no attempt spent
            breaker.release();
            failures.add(expert.name() + ": overloaded (" + s.maxInFlightPerEndpoint()
                    + " requests in flight per endpoint)");
            s.metrics().shed("upstream_in_flight");
            return false;
        }
        attempts++;
        send(expert, pick, breaker);
        return true;
    }

    /**
     * Holds the request until the cold {@code expert} has a ready endpoint (then the normal attempt path with its
     * fresh endpoints) or the policy's holding.maxWait runs out (then the next candidate, the reason in the
     * failures); false when the queue is full. While held it has no endpoint, so no per-endpoint bound applies;
     * the router-wide and tenant bounds it passed at admission stay held by its client exchange.
     */
    private boolean holdFor(ExpertInfo expert) {
        ColdStartHolds.Hold h = s.holds().hold(expert, plan, fresh -> {
            hold = null;
            if (finished) {
                return;
            }
            if (!attempt(fresh)) {
                next();
            }
        }, () -> {
            hold = null;
            if (finished) {
                return;
            }
            failures.add(expert.name() + ": cold (held " + plan.holding().maxWait().toMillis() + "ms, spec.holding"
                    + ".maxWait, without a ready replica)");
            next();
        });
        if (h == null) {
            failures.add(expert.name() + ": cold (" + (plan.holding().maxQueued() == 0 ? "holding off, "
                    + "spec.holding.maxQueued 0" : "holding queue full, spec.holding.maxQueued "
                    + plan.holding().maxQueued()) + ")");
            return false;
        }
        hold = h;
        return true;
    }

    /**
     * The replica the policy's endpoint picking chooses or, when that one is at switchboard.overload's per-endpoint
     * bound, the replica with the fewest requests in flight below it; null when every replica is at the bound.
     */
    private EndpointPicker.Pick pickBelowBound(ExpertInfo expert) {
        EndpointPicker.Pick pick = s.picker().pick(expert, plan.picking(), pickRequest, s.balancer());
        int bound = s.maxInFlightPerEndpoint();
        if (s.balancer().of(pick.endpoint()) < bound) {
            return pick;
        }
        Endpoint least = null;
        for (Endpoint e : expert.endpoints()) {
            if (s.balancer().of(e) < bound && (least == null || s.balancer().of(e) < s.balancer().of(least))) {
                least = e;
            }
        }
        return least == null ? null : new EndpointPicker.Pick(least, EndpointPicker.By.LEAST_LOADED);
    }

    private void send(ExpertInfo expert, EndpointPicker.Pick pick, CircuitBreaker breaker) {
        Endpoint endpoint = pick.endpoint();
        s.metrics().endpointPick(expert.name(), pick.by().label());
        s.balancer().acquire(endpoint);
        Attempt a = new Attempt(s, expert, endpoint, breaker);
        current = a;
        UpstreamTarget target;
        try {
            target = UpstreamTarget.of(endpoint.baseUrl());
        } catch (IllegalArgumentException e) {
            attemptFailed(a, UpstreamFailure.CONNECT_ERROR, "malformed endpoint URL", e.getMessage());
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setSsl(target.ssl()).setURI(target.uri(request.apiPath()))
                .setConnectTimeout(millis(timeouts.connect()))
                .putHeader("content-type", "application/json");
        if (request.accept() != null) {
            options.putHeader("accept", request.accept());
        }
        a.span = s.tracing().attempt(request.trace(), request.apiPath(), expert.name(), expert.upstreamModel(),
                target.host(), target.port(), attempts, options);
        if (expert.apiKey() != null) {
            options.putHeader("authorization", "Bearer " + expert.apiKey());
        } else if (request.authorization() != null) {
            options.putHeader("authorization", request.authorization());
        }
        Buffer body = request.body().put("model", expert.upstreamModel()).toBuffer();
        a.requestTimer = s.vertx().setTimer(millis(timeouts.request()), id -> onRequestTimeout(a));
        s.client().request(options).onComplete(ar -> {
            if (a != current || finished) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                if (ar.cause() instanceof ConnectionPoolTooBusyException) {
                    // our own bound (switchboard.overload.upstream-wait-queue), not the expert's fault
                    s.metrics().shed("upstream_wait_queue");
                    attemptShed(a);
                    return;
                }
                attemptFailed(a, a.timedOut ? UpstreamFailure.TIMEOUT : UpstreamFailure.CONNECT_ERROR,
                        a.timedOut ? "no connection within " + timeouts.request() : null, message(ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            a.request = req;
            // A non-streaming answer's head comes only with its last token: its budget is timeouts.request alone,
            // so a long answer is not a failure. A stream's head comes before its first token.
            if (request.stream()) {
                a.firstByteTimer = s.vertx().setTimer(millis(timeouts.firstByte()), id -> {
                    a.firstByteTimer = -1;
                    a.timedOut = true;
                    req.reset(0, new NoStackTraceThrowable("no response within " + timeouts.firstByte()));
                });
            }
            req.send(body).onComplete(rar -> {
                if (a != current || finished) {
                    return;
                }
                if (rar.failed()) {
                    if (a.timedOut) {
                        attemptFailed(a, UpstreamFailure.TIMEOUT, "no response within " + timeouts.firstByte(),
                                null);
                    } else {
                        attemptFailed(a, UpstreamFailure.RESET, null, message(rar.cause()));
                    }
                    return;
                }
                try {
                    onResponse(a, rar.result());
                } catch (RuntimeException e) {
                    // e.g. a response head Vert.x refuses to copy: answer rather than leave the asker waiting.
                    LOG.errorf("relaying the answer of %s failed: %s", a.expert.name(), e.getClass().getName());
                    LOG.debug("relaying failed", e);
                    a.failure(UpstreamFailure.STREAM, failover);
                    a.abort();
                    finish(a, true);
                    sink.unrelayable(a.expert, e.getClass().getSimpleName());
                }
            });
        });
    }

    private void onResponse(Attempt a, HttpClientResponse resp) {
        int status = resp.statusCode();
        a.span.status(status);
        UpstreamFailure retryKind = UpstreamFailure.ofStatus(status);
        // A retryable failure is never relayed: the next candidate gets it, or the sink the list of every reason.
        if (retryKind != null && failover.retryOn().contains(retryKind)) {
            a.cancelFirstByteTimer();
            // Read the error body (keeps the connection reusable); it goes to the DEBUG log only: an expert's error
            // page may name internal addresses.
            resp.body().onComplete(b -> attemptFailed(a, retryKind, "HTTP " + status,
                    b.succeeded() ? abbreviate(b.result().toString()) : null));
            return;
        }
        if (status >= 500) {
            // Not retryable here, and not relayed either: the client learns what failed in our words.
            committed = true;
            a.cancelFirstByteTimer();
            a.failure(UpstreamFailure.SERVER_ERROR, failover);
            resp.body().onComplete(b -> {
                if (finished) {
                    return;
                }
                LOG.debugf("%s answered HTTP %d: %s", a.expert.name(), status,
                        b.succeeded() ? abbreviate(b.result().toString()) : "");
                finish(a, true);
                sink.unrelayable(a.expert, "it answered HTTP " + status);
            });
            return;
        }
        commit(a, resp);
    }

    private void commit(Attempt a, HttpClientResponse resp) {
        committed = true;
        s.picker().rememberExpert(request.session(), a.expert.name(), plan.picking());
        a.cancelFirstByteTimer();
        int status = resp.statusCode();
        if (status >= 500) {
            a.failure(UpstreamFailure.SERVER_ERROR, failover);
        } else {
            a.success();
        }
        sink.head(status, resp.headers(), a.expert, failures.isEmpty() ? List.of() : List.copyOf(failures));
        resp.handler(chunk -> {
            if (finished) {
                return;
            }
            if (firstChunk) {
                firstChunk = false;
                s.metrics().firstToken(a.expert.name(), System.nanoTime() - a.startNanos);
            }
            sink.write(chunk);
            if (sink.writeQueueFull()) {
                resp.pause();
                sink.drainHandler(resp::resume);
            }
        });
        resp.exceptionHandler(t -> {
            if (finished) {
                return;
            }
            // After the first byte there is no retry: the sink gets a truncated answer.
            a.failure(a.timedOut ? UpstreamFailure.TIMEOUT : UpstreamFailure.STREAM, failover);
            finish(a, true);
            sink.cut(a.expert);
        });
        resp.endHandler(v -> {
            if (finished) {
                return;
            }
            finish(a, true);
            sink.end(status < 400 ? Outcome.SUCCESS : Outcome.UPSTREAM_ERROR);
        });
    }

    private void onRequestTimeout(Attempt a) {
        a.requestTimer = -1;
        if (finished || a != current) {
            return;
        }
        a.timedOut = true;
        if (!committed) {
            if (a.request != null) {
                a.request.reset(0, new NoStackTraceThrowable("request timeout"));
            }
            attemptFailed(a, UpstreamFailure.TIMEOUT, "no complete answer within " + timeouts.request(), null);
        } else {
            a.failure(UpstreamFailure.TIMEOUT, failover);
            finish(a, true);
            a.abort();
            sink.cut(a.expert);
        }
    }

    /**
     * One attempt failed: the next candidate is tried if {@code spec.failover.retryOn} names the kind (a reset before
     * the head counts as connectError), else the asker gets the list of failures now.
     *
     * @param said   what the asker may read about it (our words), or null
     * @param logged what only the DEBUG log gets (upstream messages, addresses), or null
     */
    private void attemptFailed(Attempt a, UpstreamFailure kind, String said, String logged) {
        if (finished || a != current || a.over()) {
            return;
        }
        a.cancelTimers();
        a.failure(kind, failover);
        a.releaseEndpoint();
        if (logged != null) {
            LOG.debugf("%s (%s): %s: %s", a.expert.name(), a.endpoint.baseUrl(), kind.label(), logged);
        }
        failures.add(a.expert.name() + ": " + kind.label() + (said == null ? "" : " (" + said + ")"));
        current = null;
        UpstreamFailure retryAs = kind == UpstreamFailure.RESET ? UpstreamFailure.CONNECT_ERROR : kind;
        if (!failover.retryOn().contains(retryAs)) {
            finish(null, false);
            sink.unavailable(List.copyOf(failures));
            return;
        }
        next();
    }

    /** The attempt never left the router (its connection pool is full): the next candidate, no verdict. */
    private void attemptShed(Attempt a) {
        if (finished || a != current) {
            return;
        }
        a.cancelTimers();
        a.shed();
        a.releaseEndpoint();
        attempts--;
        failures.add(a.expert.name() + ": overloaded (connection pool full)");
        current = null;
        next();
    }

    /** Vert.x timers need at least 1 ms; a policy's "0s" means "at once", not an error. */
    private static long millis(java.time.Duration d) {
        return Math.max(1, d.toMillis());
    }

    /** Gives back what the last attempt holds; the sink's ending call comes after, so it sees a finished exchange. */
    private void finish(Attempt a, boolean answered) {
        if (finished) {
            return;
        }
        finished = true;
        if (intended != null) {
            // the expert wanted first could not take it: someone else answered, or nobody did
            s.demand().leave(intended, answered ? !a.expert.name().equals(intended.name()) : a == null && !cancelled());
        }
        if (a != null) {
            a.cancelTimers();
            a.releaseEndpoint();
            if (answered) {
                s.metrics().upstreamDuration(a.expert.name(), System.nanoTime() - a.startNanos);
            }
        }
    }

    private boolean cancelled() {
        return cancelling;
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
