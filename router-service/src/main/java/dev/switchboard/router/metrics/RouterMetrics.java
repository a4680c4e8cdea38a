package dev.switchboard.router.metrics;

import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.table.RoutingTableHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The router's Prometheus metrics. Meters are cached by their tag values so the hot path does one map lookup
 * instead of a registry lookup per request.
 */
@ApplicationScoped
public class RouterMetrics {
    private static final double[] CONFIDENCE_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};

    private final MeterRegistry registry;
    private final RequestsInFlight inFlight = new RequestsInFlight();
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> confidence = new ConcurrentHashMap<>();
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstreamDuration = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstToken = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> shed = new ConcurrentHashMap<>();
    private final Map<String, Counter> endpointPicks = new ConcurrentHashMap<>();
    private final Timer routingDuration;

    public RouterMetrics(MeterRegistry registry, RoutingTableHolder tables, UpstreamLoad upstream) {
        this.registry = registry;
        this.routingDuration = Timer.builder("switchboard.routing.duration")
                .description("Time to decide the expert of one request (parse, encode, strategy)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        Gauge.builder("switchboard.requests.in.flight", inFlight, RequestsInFlight::count)
                .description("Client requests being served").register(registry);
        Gauge.builder("switchboard.upstream.in.flight", upstream, UpstreamLoad::total)
                .description("Requests in flight to experts").register(registry);
        Gauge.builder("switchboard.routing.table.version", tables, t -> t.table().version())
                .description("Version of the routing table being served").register(registry);
    }

    /** Client requests being served; the request path's one owner of each request counts it in and out. */
    public RequestsInFlight requestsInFlight() {
        return inFlight;
    }

    public void routingDuration(long nanos) {
        routingDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void decision(String policy, String strategy, String category, String expert, Outcome outcome) {
        String key = policy + '\0' + strategy + '\0' + category + '\0' + expert + '\0' + outcome.label();
        cached(decisions, key, k -> Counter.builder("switchboard.route.decisions")
                .description("Routing decisions by outcome")
                .tags("policy", nn(policy), "strategy", nn(strategy), "category", nn(category),
                        "expert", nn(expert), "outcome", outcome.label())
                .register(registry)).increment();
    }

    public void confidence(String policy, double value) {
        cached(confidence, nn(policy), k -> DistributionSummary.builder("switchboard.route.confidence")
                .description("Confidence of routing decisions (0..1)").tags("policy", k)
                .serviceLevelObjectives(CONFIDENCE_BUCKETS).register(registry)).record(value);
    }

    public void fallback(String reason) {
        String label = reasonLabel(reason);
        cached(fallbacks, label, k -> Counter.builder("switchboard.route.fallback")
                .description("Requests that went to a fallback, by reason").tags("reason", k)
                .register(registry)).increment();
    }

    public void upstreamDuration(String expert, long nanos) {
        cached(upstreamDuration, expert, k -> Timer.builder("switchboard.upstream.duration")
                .description("Whole upstream exchange, streaming included").tags("expert", k)
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time from sending to the expert until the first body chunk (the first token when streaming). */
    public void firstToken(String expert, long nanos) {
        cached(firstToken, expert, k -> Timer.builder("switchboard.upstream.first.token")
                .description("Time to first token (first body chunk) from the expert").tags("expert", k)
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void upstreamError(String expert, UpstreamFailure kind) {
        cached(upstreamErrors, expert + '\0' + kind.label(), k -> Counter.builder("switchboard.upstream.errors")
                .description("Failed upstream attempts by kind").tags("expert", expert, "kind", kind.label())
                .register(registry)).increment();
    }

    /**
     * A request or attempt refused by one of the router's own bounds: in_flight, decision_pool, body_timeout,
     * upstream_in_flight, upstream_wait_queue; and unauthenticated for requests without a valid key.
     */
    public void shed(String reason) {
        cached(shed, reason, k -> Counter.builder("switchboard.requests.shed")
                .description("Requests refused by the router's own bounds (and unauthenticated ones), by reason")
                .tags("reason", k).register(registry)).increment();
    }

    /** A replica of {@code expert} was picked, {@code by}: session, prefix, hash, leastLoaded, roundRobin, only. */
    public void endpointPick(String expert, String by) {
        cached(endpointPicks, expert + '\0' + by, k -> Counter.builder("switchboard.endpoint.picks")
                .description("Replicas picked, by why").tags("expert", expert, "by", by)
                .register(registry)).increment();
    }

    /** A bounded label from a free-text reason: its first word, e.g. "low-confidence" or "failover". */
    static String reasonLabel(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        String s = reason.strip();
        int end = 0;
        while (end < s.length() && end < 40) {
            char c = s.charAt(end);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                break;
            }
            end++;
        }
        return end == 0 ? "other" : s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    }

    private static String nn(String s) {
        return s == null ? "none" : s;
    }

    private static <M> M cached(Map<String, M> cache, String key, Function<String, M> create) {
        M m = cache.get(key);
        return m != null ? m : cache.computeIfAbsent(key, create);
    }
}
