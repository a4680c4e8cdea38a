package dev.switchboard.router.demand;

import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.table.RoutingTableHolder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Requests held for a cold expert (one that scales from zero and has no ready endpoint) until the routing table
 * shows it ready, then resumed on their own event loop with the expert's fresh endpoints; or given up after the
 * policy's {@code holding.maxWait}. At most {@code holding.maxQueued} requests per policy are held at once: a held
 * request keeps only its parsed body, so memory stays bounded by maxQueued x max-body-bytes.
 */
@ApplicationScoped
public class ColdStartHolds {
    static final long CHECK_MILLIS = 20;

    /** A waiting request; {@link #cancel()} when its client goes away. */
    public final class Hold {
        private final String expertKey;
        private final String policyKey;
        private final ExpertInfo expert;
        private final Context context;
        private final Consumer<ExpertInfo> ready;
        private final Runnable timedOut;
        private final long deadline;
        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

        private Hold(ExpertInfo expert, String policyKey, Context context, Consumer<ExpertInfo> ready,
                     Runnable timedOut, long deadline) {
            this.expertKey = key(expert);
            this.policyKey = policyKey;
            this.expert = expert;
            this.context = context;
            this.ready = ready;
            this.timedOut = timedOut;
            this.deadline = deadline;
        }

        public void cancel() {
            end();
        }

        private boolean end() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            Set<Hold> set = waiting.get(expertKey);
            if (set != null) {
                set.remove(this);
            }
            queued.get(policyKey).decrementAndGet();
            demand.held(expert, -1);
            return true;
        }
    }

    private final Vertx vertx;
    private final RoutingTableHolder tables;
    private final DemandTracker demand;
    private final Map<String, Set<Hold>> waiting = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    public ColdStartHolds(Vertx vertx, RoutingTableHolder tables, DemandTracker demand) {
        this.vertx = vertx;
        this.tables = tables;
        this.demand = demand;
    }

    /**
     * Holds a request for {@code expert} under {@code plan}'s holding; null when the policy's queue is full (or
     * holding is off). Must be called on the request's event loop; {@code ready} and {@code timedOut} run there.
     */
    public Hold hold(ExpertInfo expert, RoutePlan plan, Consumer<ExpertInfo> ready, Runnable timedOut) {
        PolicyRoute.Holding holding = plan.holding();
        AtomicInteger count = queued.computeIfAbsent(plan.holdingKey(), k -> new AtomicInteger());
        if (count.incrementAndGet() > holding.maxQueued()) {
            count.decrementAndGet();
            return null;
        }
        Hold hold = new Hold(expert, plan.holdingKey(), vertx.getOrCreateContext(), ready, timedOut,
                System.nanoTime() + holding.maxWait().toNanos());
        waiting.computeIfAbsent(hold.expertKey, k -> ConcurrentHashMap.newKeySet()).add(hold);
        demand.held(expert, 1);
        startChecking();
        return hold;
    }

    /** Requests held now (all policies). */
    public int held() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    private synchronized void startChecking() {
        if (timer == -1) {
            timer = vertx.setPeriodic(CHECK_MILLIS, id -> check());
        }
    }

    private void check() {
        RoutingTable table = tables.table();
        long now = System.nanoTime();
        boolean any = false;
        for (Map.Entry<String, Set<Hold>> e : waiting.entrySet()) {
            ExpertInfo fresh = null;
            for (Iterator<Hold> it = e.getValue().iterator(); it.hasNext(); ) {
                Hold h = it.next();
                any = true;
                if (fresh == null) {
                    fresh = find(table, h.expert);
                }
                if (fresh != null && fresh.ready()) {
                    ExpertInfo up = fresh;
                    if (h.end()) {
                        h.context.runOnContext(v -> h.ready.accept(up));
                    }
                } else if (now - h.deadline >= 0 && h.end()) {
                    h.context.runOnContext(v -> h.timedOut.run());
                }
            }
        }
        if (!any) {
            synchronized (this) {
                if (held() == 0 && timer != -1) {
                    vertx.cancelTimer(timer);
                    timer = -1;
                }
            }
        }
    }

    /** The expert as the current table sees it. */
    static ExpertInfo find(RoutingTable table, ExpertInfo expert) {
        for (PolicyRoute p : table.policies().values()) {
            ExpertInfo e = p.experts().get(expert.name());
            if (e != null && e.namespace().equals(expert.namespace())) {
                return e;
            }
        }
        ExpertInfo pinned = table.experts().get(expert.servedModelName());
        return pinned != null && pinned.name().equals(expert.name()) ? pinned : null;
    }

    private static String key(ExpertInfo e) {
        return e.namespace() + "/" + e.name();
    }
}
