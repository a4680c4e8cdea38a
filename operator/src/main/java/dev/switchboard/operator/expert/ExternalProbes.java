package dev.switchboard.operator.expert;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Probes of external experts, off the reconcile threads: a fixed pool of {@code threads} runs them (each bounded by
 * the probe's timeouts), at most one per expert at a time, and the queue holds at most one entry per expert. The
 * reconciler asks for a probe when the last outcome is older than the interval and publishes the latest outcome;
 * {@code onDone} triggers the reconcile that publishes a new one. A slow or silent endpoint therefore occupies one
 * probe thread for at most the timeout and never a reconcile thread.
 */
public final class ExternalProbes implements AutoCloseable {
    /** The outcome of the last probe of {@code url}, and when it finished. */
    public record Latest(String url, ExternalProbe.Outcome outcome, Instant at) {
    }

    private final ExternalProbe probe;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Map<ResourceID, Latest> latest = new ConcurrentHashMap<>();
    private final Map<ResourceID, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> onDone = id -> { };

    public ExternalProbes(ExternalProbe probe, int threads, Clock clock) {
        this.probe = probe;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, "switchboard-external-probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Called with the expert's id when one of its probes finished. */
    public void onDone(Consumer<ResourceID> callback) {
        this.onDone = callback;
    }

    /** The last finished probe of {@code id} at {@code url} (a probe of another URL does not count). */
    public Optional<Latest> latest(ResourceID id, String url) {
        return Optional.ofNullable(latest.get(id)).filter(l -> l.url().equals(url));
    }

    /** Starts a probe unless one is running for {@code id} or the last one of {@code url} is younger than {@code every}. */
    public void requestIfDue(ResourceID id, String url, boolean hasKey, Duration every) {
        Optional<Latest> last = latest(id, url);
        if (last.isPresent() && last.get().at().plus(every).isAfter(clock.instant())) {
            return;
        }
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    latest.put(id, new Latest(url, probe.probe(url, hasKey), clock.instant()));
                } finally {
                    inFlight.remove(id);
                }
                onDone.accept(id);
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(id); // the pool is shutting down or the queue is full: asked again on the next reconcile
        }
    }

    /** Whether a probe of {@code id} is queued or running. */
    public boolean running(ResourceID id) {
        return inFlight.containsKey(id);
    }

    /** Forgets an expert that was deleted or is no longer external. */
    public void forget(ResourceID id) {
        latest.remove(id);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
