package dev.switchboard.router.proxy;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.tracing.AttemptSpan;
import io.vertx.core.http.HttpClientRequest;

/**
 * One try of a {@link ProxyExchange} against one endpoint of one expert. What it takes (the endpoint's in-flight
 * slot, the breaker's permit, its timers) it gives back once, whichever way the try ends.
 */
final class Attempt {
    final ExpertInfo expert;
    final Endpoint endpoint;
    final long startNanos = System.nanoTime();
    /** The request to the expert, once connected. */
    HttpClientRequest request;
    long firstByteTimer = -1;
    long requestTimer = -1;
    boolean timedOut;
    /** Its span (ended with the attempt, when the endpoint is given back). */
    AttemptSpan span = AttemptSpan.NONE;

    private final ProxyExchange.Services s;
    private final CircuitBreaker breaker;
    private boolean released;
    private boolean verdict;

    Attempt(ProxyExchange.Services services, ExpertInfo expert, Endpoint endpoint, CircuitBreaker breaker) {
        this.s = services;
        this.expert = expert;
        this.endpoint = endpoint;
        this.breaker = breaker;
    }

    boolean over() {
        return verdict && released;
    }

    void releaseEndpoint() {
        if (!released) {
            released = true;
            s.balancer().release(endpoint);
            span.end();
        }
    }

    void success() {
        if (!verdict) {
            verdict = true;
            breaker.onSuccess();
        }
    }

    /** Counts the failure; only the first verdict of an attempt reaches the breaker. */
    void failure(UpstreamFailure kind, PolicyRoute.FailoverPolicy failover) {
        s.metrics().upstreamError(expert.name(), kind);
        span.failed(kind.label());
        if (!verdict) {
            verdict = true;
            breaker.onFailure(failover.breakerFailures(), failover.breakerOpenFor(), System.nanoTime());
        }
    }

    /** The attempt never reached the expert (our own bound): the breaker's permit goes back without a verdict. */
    void shed() {
        if (!verdict) {
            verdict = true;
            breaker.release();
        }
    }

    /** The client went away: not the expert's fault, so the breaker's permit goes back without a verdict. */
    void cancelled() {
        s.metrics().upstreamError(expert.name(), UpstreamFailure.CLIENT_CANCEL);
        span.failed(UpstreamFailure.CLIENT_CANCEL.label());
        if (!verdict) {
            verdict = true;
            breaker.release();
        }
    }

    void cancelFirstByteTimer() {
        if (firstByteTimer >= 0) {
            s.vertx().cancelTimer(firstByteTimer);
            firstByteTimer = -1;
        }
    }

    void cancelTimers() {
        cancelFirstByteTimer();
        if (requestTimer >= 0) {
            s.vertx().cancelTimer(requestTimer);
            requestTimer = -1;
        }
    }

    /** Stops the upstream call: resets the stream and closes its connection so the expert stops generating. */
    void abort() {
        HttpClientRequest req = request;
        if (req != null) {
            req.reset();
            if (req.connection() != null) {
                req.connection().close();
            }
        }
    }
}
