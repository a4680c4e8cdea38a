package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.BuildResult;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.switchboard.engine.Fixtures.expert;
import static dev.switchboard.engine.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StaticStrategyTest {
    static ExpertModel named(String name) {
        return expert("metadata: {name: " + name + ", namespace: ai}\nspec: {model: {uri: hf://org/" + name + "}}");
    }

    static final List<ExpertModel> EXPERTS = List.of(named("a"), named("b"), named("c"), named("g"));

    static PolicyRoute route(String... down) {
        BuildResult result = Fixtures.build(EXPERTS, List.of(policy("""
                metadata: {name: canary, namespace: ai}
                spec:
                  experts: {names: [a, b, c]}
                  strategy:
                    type: static
                    static: {experts: [{name: a, weight: 70}, {name: b, weight: 20}, {name: c, weight: 10}]}
                  fallback: g
                """)), Fixtures.allReadyExcept(down));
        assertThat(result.errors()).isEmpty();
        return result.table().policy("canary").orElseThrow();
    }

    /** The policy's strategy rebuilt with a seeded random source. */
    static StaticStrategy seeded(PolicyRoute route, long seed) {
        var spec = policy("""
                metadata: {name: canary, namespace: ai}
                spec:
                  experts: {names: [a, b, c]}
                  strategy:
                    type: static
                    static: {experts: [{name: a, weight: 70}, {name: b, weight: 20}, {name: c, weight: 10}]}
                  fallback: g
                """).getSpec();
        WeightedExperts w = WeightedExperts.of(spec.strategy.staticWeights.experts);
        return new StaticStrategy("canary", w, new SplittableRandom(seed)::nextDouble);
    }

    @Test
    void trafficFollowsTheWeights() {
        PolicyRoute route = route();
        StaticStrategy strategy = seeded(route, 42);
        Map<String, Integer> counts = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(strategy.decide(new Query("x"), route).expert(), 1, Integer::sum);
        }
        assertThat(counts.get("a") / (double) n).isCloseTo(0.70, within(0.015));
        assertThat(counts.get("b") / (double) n).isCloseTo(0.20, within(0.015));
        assertThat(counts.get("c") / (double) n).isCloseTo(0.10, within(0.015));
    }

    @Test
    void rankingIsPickThenWeightThenFallbackAndConfidenceIsTheShare() {
        PolicyRoute route = route();
        // u = 0.75 falls in b's slice [0.70, 0.90)
        StaticStrategy strategy = new StaticStrategy("canary", seeded(route, 1).weights(), () -> 0.75);
        Decision d = strategy.decide(new Query("x"), route);
        assertThat(d.ranked()).containsExactly("b", "a", "c", "g");
        assertThat(d.confidence()).isCloseTo(0.2, within(1e-12));
        assertThat(d.fallbackReason()).isNull();
        assertThat(d.scores()).containsOnlyKeys("a", "b", "c");
        assertThat(d.strategy()).isEqualTo("static");
    }

    @Test
    void downExpertsShareIsRedistributed() {
        PolicyRoute route = route("a");
        StaticStrategy strategy = new StaticStrategy("canary", seeded(route, 1).weights(), () -> 0.5);
        Decision d = strategy.decide(new Query("x"), route);
        // b and c remain with 20:10; u = 0.5 -> b
        assertThat(d.ranked()).containsExactly("b", "c", "g");
        assertThat(d.confidence()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void allWeightedExpertsDownGoesToTheFallback() {
        PolicyRoute route = route("a", "b", "c");
        Decision d = route.strategy().decide(new Query("x"), route);
        assertThat(d.ranked()).containsExactly("g");
        assertThat(d.fallbackReason()).isEqualTo("no-ready-expert");
    }
}
