package dev.switchboard.router.health;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Errors after which the process must be restarted: an OutOfMemoryError leaves a JVM whose every allocation may fail
 * while its health endpoints, answered from a few bytes, still look fine. Whoever catches one records it here and
 * liveness fails from then on.
 */
public final class FatalErrors {
    private static final AtomicReference<String> FIRST = new AtomicReference<>();

    private FatalErrors() {
    }

    /** Records {@code t} if it is fatal (an OutOfMemoryError anywhere in its causes); returns whether it was. */
    public static boolean record(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                FIRST.compareAndSet(null, "OutOfMemoryError: " + c.getMessage());
                return true;
            }
        }
        return false;
    }

    /** The first fatal error seen, or null. */
    public static String first() {
        return FIRST.get();
    }

    /** Tests only. */
    static void reset() {
        FIRST.set(null);
    }
}
