package dev.switchboard.router.health;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A tick on every Vert.x event loop each {@link #PERIOD_MILLIS}: a loop that has not ticked for
 * {@link #WEDGED_AFTER_MILLIS} is wedged (a blocking call, an endless loop) and every connection it owns hangs, so
 * liveness fails and Kubernetes restarts the pod.
 */
@ApplicationScoped
public class EventLoopHeartbeat {
    static final long PERIOD_MILLIS = 500;
    static final long WEDGED_AFTER_MILLIS = 10_000;

    private final Vertx vertx;
    private final long periodMillis;
    private final long wedgedAfterMillis;
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private AtomicLongArray lastTick = new AtomicLongArray(0);

    @Inject
    public EventLoopHeartbeat(Vertx vertx) {
        this(vertx, PERIOD_MILLIS, WEDGED_AFTER_MILLIS);
    }

    EventLoopHeartbeat(Vertx vertx, long periodMillis, long wedgedAfterMillis) {
        this.vertx = vertx;
        this.periodMillis = periodMillis;
        this.wedgedAfterMillis = wedgedAfterMillis;
    }

    void start(@Observes StartupEvent event) {
        List<EventExecutor> loops = new ArrayList<>();
        ((VertxInternal) vertx).getEventLoopGroup().forEach(loops::add);
        AtomicLongArray last = new AtomicLongArray(loops.size());
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            last.set(i, now);
            int index = i;
            ticks.add(loops.get(i).scheduleAtFixedRate(() -> last.set(index, System.nanoTime()), periodMillis,
                    periodMillis, TimeUnit.MILLISECONDS));
        }
        lastTick = last;
    }

    void stop(@Observes ShutdownEvent event) {
        ticks.forEach(t -> t.cancel(false));
    }

    /** How long the slowest event loop has not ticked, in milliseconds. */
    public long longestSilenceMillis() {
        long now = System.nanoTime();
        long worst = 0;
        AtomicLongArray last = lastTick;
        for (int i = 0; i < last.length(); i++) {
            worst = Math.max(worst, (now - last.get(i)) / 1_000_000);
        }
        return worst;
    }

    public boolean wedged() {
        return longestSilenceMillis() > wedgedAfterMillis;
    }
}
