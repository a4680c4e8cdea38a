package dev.switchboard.router.shadow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of shadow policies. Labels are bounded: policies and experts by the routing table, categories
 * by the live strategy's categories, at most {@link #MAX_CATEGORY_LABELS} per live policy (then {@code other}).
 */
@ApplicationScoped
public class ShadowMetrics {
    static final int MAX_CATEGORY_LABELS = 64;

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> categoriesByPolicy = new ConcurrentHashMap<>();

    public ShadowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void decided(String policy, String shadow, String category, String liveExpert, String shadowExpert,
                 long liveNanos, long shadowNanos) {
        boolean agreed = liveExpert != null && liveExpert.equals(shadowExpert);
        counter("switchboard.shadow.decisions", "Shadow decisions on live requests, by the live decision's category "
                + "and whether the shadow chose the live expert", "policy", policy, "shadow", shadow, "category",
                categoryLabel(policy, category), "agreed", String.valueOf(agreed)).increment();
        counter("switchboard.shadow.choice", "Shadow decisions by live expert and the shadow's expert", "policy",
                policy, "shadow", shadow, "live_expert", nn(liveExpert), "shadow_expert", nn(shadowExpert))
                .increment();
        timer(policy, shadow, "live").record(liveNanos, TimeUnit.NANOSECONDS);
        timer(policy, shadow, "shadow").record(shadowNanos, TimeUnit.NANOSECONDS);
    }

    void shed(String policy, String shadow) {
        counter("switchboard.shadow.shed", "Shadow decisions not made because the shadow pool was full", "policy",
                policy, "shadow", shadow).increment();
    }

    void failed(String policy, String shadow) {
        counter("switchboard.shadow.errors", "Shadow decisions that threw", "policy", policy, "shadow", shadow)
                .increment();
    }

    /** result: kept, busy (too many sample calls in flight), failed (an answer could not be had). */
    void sample(String policy, String shadow, String result) {
        counter("switchboard.shadow.samples", "Sampled requests whose shadow choice was also answered, by result",
                "policy", policy, "shadow", shadow, "result", result).increment();
    }

    private String categoryLabel(String policy, String category) {
        String c = nn(category);
        Set<String> seen = categoriesByPolicy.computeIfAbsent(policy, k -> ConcurrentHashMap.newKeySet());
        if (seen.contains(c)) {
            return c;
        }
        if (seen.size() >= MAX_CATEGORY_LABELS) {
            return "other";
        }
        seen.add(c);
        return c;
    }

    private Counter counter(String name, String description, String... tags) {
        List<String> key = new java.util.ArrayList<>(List.of(tags));
        key.add(0, name);
        Counter c = counters.get(key);
        return c != null ? c : counters.computeIfAbsent(key, k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }

    private Timer timer(String policy, String shadow, String side) {
        List<String> key = List.of(policy, shadow, side);
        Timer t = timers.get(key);
        return t != null ? t : timers.computeIfAbsent(key, k -> Timer.builder("switchboard.shadow.decision.duration")
                .description("Strategy decision time of the live policy and of its shadow on the same requests")
                .tags("policy", policy, "shadow", shadow, "side", side).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry));
    }

    private static String nn(String s) {
        return s == null ? "none" : s;
    }
}
