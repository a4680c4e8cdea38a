package dev.switchboard.router.shadow;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where shadow decisions run: a few low-priority daemon threads and a bounded queue. Submitting never blocks and
 * never waits: a full pool refuses the task at once (the caller counts it as shed), so a shadow can never slow the
 * live request it observes nor pile up work.
 */
final class ShadowPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    ShadowPool(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        int size = Math.max(1, threads);
        this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)), r -> {
                    Thread t = new Thread(r, "switchboard-shadow-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** False when the pool is full: the task was not queued. */
    boolean offer(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
