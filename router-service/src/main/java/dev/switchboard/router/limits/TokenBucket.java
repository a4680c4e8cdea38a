package dev.switchboard.router.limits;

/**
 * A bucket refilled at {@code perMinute / 60} a second up to {@code perMinute}. Requests take one each before they
 * start; tokens are charged after the answer (their number is known only then), so the balance may go below zero
 * and then holds new requests back until it refills. Not thread-safe: its owner synchronises.
 */
final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private double balance;
    private long lastNanos;

    TokenBucket(long perMinute, long nowNanos) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.balance = perMinute;
        this.lastNanos = nowNanos;
    }

    private void refill(long nowNanos) {
        balance = Math.min(capacity, balance + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
    }

    /** Takes {@code n} if the balance holds them. */
    boolean tryTake(double n, long nowNanos) {
        refill(nowNanos);
        if (balance >= n) {
            balance -= n;
            return true;
        }
        return false;
    }

    /** True while the balance is positive (tokens may still be spent). */
    boolean positive(long nowNanos) {
        refill(nowNanos);
        return balance > 0;
    }

    /** Charges {@code n}, possibly below zero. */
    void charge(double n, long nowNanos) {
        refill(nowNanos);
        balance -= n;
    }

    /** Whole seconds until the balance holds {@code n} again (at least 1). */
    long secondsUntil(double n) {
        double missing = n - balance;
        return missing <= 0 ? 1 : Math.max(1, (long) Math.ceil(missing / perNano / 1e9));
    }
}
