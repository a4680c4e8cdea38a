package dev.switchboard.router.proxy;

import java.time.Duration;

/**
 * Per-expert breaker: opens after {@code failures} consecutive failures, lets one trial request through after
 * {@code openFor} (half-open), and closes again on its success. Thread-safe; the settings come with each call
 * because they belong to the policy of the current routing table, which may change.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openUntilNanos;
    private boolean trialInFlight;

    /** Whether a request may be sent now; in half-open state only one trial at a time gets a yes. */
    public synchronized boolean tryAcquire(long nowNanos) {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nowNanos - openUntilNanos < 0) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                return true;
            default:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    /** @return true when this failure opened the breaker */
    public synchronized boolean onFailure(int threshold, Duration openFor, long nowNanos) {
        trialInFlight = false;
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openUntilNanos = nowNanos + openFor.toNanos();
            return true;
        }
        return false;
    }

    /** A request that was let through ended without a verdict (e.g. the client went away). */
    public synchronized void release() {
        trialInFlight = false;
    }

    public synchronized State state() {
        return state;
    }
}
