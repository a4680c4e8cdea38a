package dev.switchboard.router.support;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.table.RoutingTable;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Builds routing tables directly (no YAML, no cluster) for HTTP tests. */
public final class TestTables {
    private static final AtomicLong VERSION = new AtomicLong(1000);

    private TestTables() {
    }

    public static ExpertInfo expert(String name, String... baseUrls) {
        return expertWithKey(name, null, baseUrls);
    }

    public static ExpertInfo expertWithKey(String name, String apiKey, String... baseUrls) {
        return new ExpertInfo(name, "test", name + "-served", name + "-upstream",
                Arrays.stream(baseUrls).map(Endpoint::new).toList(), apiKey, Set.of(name), name + " expert",
                List.of(), false, Map.of(), 1.0);
    }

    /** An expert with spec.task: embed (served as {@code <name>-served}). */
    public static ExpertInfo embedder(String name, String... baseUrls) {
        return new ExpertInfo(name, "test", name + "-served", name + "-upstream",
                Arrays.stream(baseUrls).map(Endpoint::new).toList(), null, Set.of(), name + " embeddings",
                List.of(), false, Map.of(), 0, null, false, true);
    }

    /** The policies' table plus experts of no policy (e.g. embedding experts). */
    public static RoutingTable tableWith(List<ExpertInfo> extra, PolicyRoute... policies) {
        RoutingTable t = table(policies);
        Map<String, ExpertInfo> experts = new LinkedHashMap<>(t.experts());
        extra.forEach(e -> experts.put(e.servedModelName(), e));
        return new RoutingTable(t.version(), t.policies(), experts);
    }

    public static PolicyRoute policy(String name, String modelName, String fallback,
                                     PolicyRoute.FailoverPolicy failover, PolicyRoute.Timeouts timeouts,
                                     ExpertInfo... experts) {
        Map<String, ExpertInfo> byName = new LinkedHashMap<>();
        for (ExpertInfo e : experts) {
            byName.put(e.name(), e);
        }
        return new PolicyRoute(name, "test", modelName, new NameMatchStrategy(), byName, fallback,
                failover, timeouts);
    }

    public static PolicyRoute policy(String name, String modelName, String fallback, ExpertInfo... experts) {
        return policy(name, modelName, fallback, PolicyRoute.FailoverPolicy.DEFAULT,
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                experts);
    }

    /** The same policy deciding with another strategy. */
    public static PolicyRoute withStrategy(PolicyRoute p, dev.switchboard.engine.RoutingStrategy strategy) {
        return new PolicyRoute(p.name(), p.namespace(), p.modelName(), strategy, p.experts(), p.fallback(),
                p.failover(), p.timeouts(), p.picking(), p.holding(), p.caps());
    }

    /** The same policy picking replicas another way. */
    public static PolicyRoute withPicking(PolicyRoute p, dev.switchboard.engine.EndpointPicking picking) {
        return new PolicyRoute(p.name(), p.namespace(), p.modelName(), p.strategy(), p.experts(), p.fallback(),
                p.failover(), p.timeouts(), picking, p.holding(), p.caps());
    }

    public static RoutingTable table(PolicyRoute... policies) {
        Map<String, PolicyRoute> byModel = new LinkedHashMap<>();
        Map<String, ExpertInfo> experts = new LinkedHashMap<>();
        for (PolicyRoute p : policies) {
            byModel.put(p.modelName(), p);
            p.experts().values().forEach(e -> experts.put(e.servedModelName(), e));
        }
        return new RoutingTable(VERSION.incrementAndGet(), byModel, experts);
    }
}
