package dev.switchboard.router.demand;

import dev.switchboard.engine.ExpertInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demand this router intended for each expert: every request whose plan put the expert first counts for it,
 * whether the expert answered, the request was held while it started, or it went to a fallback because the
 * expert was down, cold or saturated. Metrics: {@code switchboard_expert_demand_total},
 * {@code switchboard_expert_demand_diverted_total}, {@code switchboard_expert_demand_in_flight},
 * {@code switchboard_expert_held_requests} (label {@code expert}); the {@link DemandPublisher} reports windows of it
 * to the autoscaler.
 */
@ApplicationScoped
public class DemandTracker {
    /** One expert's counts; the window fields are reset by {@link #window()}. */
    static final class Counts {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger held = new AtomicInteger();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong diverted = new AtomicLong();
        Counter total;
        Counter divertedTotal;
    }

    /** One expert's demand over a window. */
    public record Window(int inFlight, long requests, int held, long diverted) {
        boolean any() {
            return inFlight > 0 || requests > 0 || held > 0 || diverted > 0;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Counts> experts = new ConcurrentHashMap<>();
    private volatile Runnable onColdDemand = () -> { };

    public DemandTracker(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Called when a request for a cold expert starts waiting: the autoscaler should hear of it soon. */
    public void onColdDemand(Runnable listener) {
        this.onColdDemand = listener;
    }

    /** A request whose first choice is {@code expert} starts. */
    public void arrive(ExpertInfo expert) {
        Counts c = counts(expert);
        int now = c.inFlight.incrementAndGet();
        c.peak.accumulateAndGet(now, Math::max);
        c.requests.incrementAndGet();
        c.total.increment();
    }

    /** It ended; {@code diverted}: answered (or refused) by someone else because the expert could not take it. */
    public void leave(ExpertInfo expert, boolean diverted) {
        Counts c = counts(expert);
        c.inFlight.decrementAndGet();
        if (diverted) {
            c.diverted.incrementAndGet();
            c.divertedTotal.increment();
        }
    }

    public void held(ExpertInfo expert, int delta) {
        int now = counts(expert).held.addAndGet(delta);
        if (delta > 0 && now == 1) {
            onColdDemand.run();
        }
    }

    /** The window since the last call, per expert key (namespace/name); peaks and counts restart. */
    public Map<String, Window> window() {
        Map<String, Window> out = new TreeMap<>();
        experts.forEach((key, c) -> {
            int current = c.inFlight.get();
            Window w = new Window(c.peak.getAndSet(current), c.requests.getAndSet(0), c.held.get(),
                    c.diverted.getAndSet(0));
            if (w.any()) {
                out.put(key, w);
            }
        });
        return out;
    }

    private Counts counts(ExpertInfo expert) {
        return experts.computeIfAbsent(expert.namespace() + "/" + expert.name(), k -> {
            Counts c = new Counts();
            String name = expert.name();
            c.total = Counter.builder("switchboard.expert.demand").tag("expert", name)
                    .description("Requests whose first choice was the expert (answered, held or diverted)")
                    .register(registry);
            c.divertedTotal = Counter.builder("switchboard.expert.demand.diverted").tag("expert", name)
                    .description("Requests for the expert sent elsewhere because it was down, cold or saturated")
                    .register(registry);
            Gauge.builder("switchboard.expert.demand.in.flight", c.inFlight, AtomicInteger::get).tag("expert", name)
                    .description("Requests in flight whose first choice was the expert").register(registry);
            Gauge.builder("switchboard.expert.held.requests", c.held, AtomicInteger::get).tag("expert", name)
                    .description("Requests held while the expert starts from zero").register(registry);
            return c;
        });
    }
}
