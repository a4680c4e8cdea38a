package dev.switchboard.router.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Usage per tenant, policy and expert: Prometheus counters (switchboard_tenant_requests_total,
 * switchboard_tenant_tokens_total{type=input|output}, switchboard_tenant_cost_total,
 * switchboard_tenant_usage_estimated_total, switchboard_tenant_rejections_total) and the totals behind the
 * management port's /q/tenants. Tenant names come from the admin's keys file, so the label set stays bounded.
 */
@ApplicationScoped
public class UsageLedger {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    public UsageLedger(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One answered request of {@code tenant} (expert null: none answered) and what it used. */
    public void record(String tenant, String policy, String expert, TokenUsage usage, double cost) {
        String p = nn(policy);
        String e = nn(expert);
        String key = tenant + '\0' + p + '\0' + e;
        counter("r" + key, k -> Counter.builder("switchboard.tenant.requests")
                .description("Client requests per tenant, policy and expert").tags("tenant", tenant, "policy", p,
                        "expert", e).register(registry)).increment();
        if (usage.input() > 0) {
            counter("i" + key, k -> tokens(tenant, p, e, "input")).increment(usage.input());
        }
        if (usage.output() > 0) {
            counter("o" + key, k -> tokens(tenant, p, e, "output")).increment(usage.output());
        }
        if (cost > 0) {
            counter("c" + key, k -> Counter.builder("switchboard.tenant.cost")
                    .description("Cost of answers (ExpertModel spec.cost) per tenant, policy and expert")
                    .tags("tenant", tenant, "policy", p, "expert", e).register(registry)).increment(cost);
        }
        if (usage.estimated()) {
            counter("e" + tenant, k -> Counter.builder("switchboard.tenant.usage.estimated")
                    .description("Answers whose tokens were estimated (no usage from the expert, stream cut)")
                    .tags("tenant", tenant).register(registry)).increment();
        }
        Totals t = totals.computeIfAbsent(tenant, k -> new Totals());
        t.requests.increment();
        t.input.add(usage.input());
        t.output.add(usage.output());
        t.cost.add(cost);
    }

    /** A request of {@code tenant} refused by its limits: reason requests, tokens, concurrency, budget or model. */
    public void rejected(String tenant, String reason) {
        counter("x" + tenant + '\0' + reason, k -> Counter.builder("switchboard.tenant.rejections")
                .description("Requests refused by a tenant's limits or model list").tags("tenant", tenant,
                        "reason", reason).register(registry)).increment();
        totals.computeIfAbsent(tenant, k -> new Totals()).rejected.increment();
    }

    /** Totals since start, for /q/tenants. */
    public Map<String, Object> view(String tenant) {
        Totals t = totals.get(tenant);
        Map<String, Object> v = new TreeMap<>();
        v.put("requests", t == null ? 0 : t.requests.sum());
        v.put("inputTokens", t == null ? 0 : t.input.sum());
        v.put("outputTokens", t == null ? 0 : t.output.sum());
        v.put("cost", t == null ? 0 : t.cost.sum());
        v.put("rejected", t == null ? 0 : t.rejected.sum());
        return v;
    }

    private Counter tokens(String tenant, String policy, String expert, String type) {
        return Counter.builder("switchboard.tenant.tokens")
                .description("Tokens per tenant, policy and expert, from each answer's usage")
                .tags("tenant", tenant, "policy", policy, "expert", expert, "type", type).register(registry);
    }

    private Counter counter(String key, Function<String, Counter> create) {
        Counter c = counters.get(key);
        return c != null ? c : counters.computeIfAbsent(key, create);
    }

    private static String nn(String s) {
        return s == null ? "none" : s;
    }

    private static final class Totals {
        final LongAdder requests = new LongAdder();
        final LongAdder input = new LongAdder();
        final LongAdder output = new LongAdder();
        final DoubleAdder cost = new DoubleAdder();
        final LongAdder rejected = new LongAdder();
    }
}
