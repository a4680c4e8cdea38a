package dev.switchboard.router.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count behind switchboard_requests_in_flight. It only goes down through the {@link Handle} that counted a
 * request in, and a handle counts out once however often it is closed, so no code path can count twice or
 * forget to hand back what it took without also losing the handle.
 */
public final class RequestsInFlight {
    private final AtomicInteger count = new AtomicInteger();

    /** Counts one request in; close the handle when its response is over. */
    public Handle enter() {
        count.incrementAndGet();
        return new Handle();
    }

    public int count() {
        return count.get();
    }

    /** One counted request. */
    public final class Handle implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();

        private Handle() {
        }

        /** Counts the request out; later calls do nothing. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }

        public boolean closed() {
            return closed.get();
        }
    }
}
