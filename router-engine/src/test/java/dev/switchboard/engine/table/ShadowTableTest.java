package dev.switchboard.engine.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.ShadowRoute;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.engine.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

/** spec.shadow in the routing table: built for deciding only, skipped (the live policy served) when unusable. */
class ShadowTableTest {
    static final ExpertModel MATH = RoutingTableBuilderTest.specialist("math", "ai", "specialist", "math");
    static final ExpertModel CODE = RoutingTableBuilderTest.specialist("code", "ai", "specialist", "code");

    static RoutingPolicy staticPolicy(String name, String expert, String shadow) {
        return policy("""
                metadata: {name: %s, namespace: ai, generation: 3}
                spec:
                  experts: {names: [math, code]}
                  strategy: {type: static, static: {experts: [{name: %s}]}}
                %s""".formatted(name, expert, shadow == null ? "" : "  shadow: " + shadow + "\n"));
    }

    static BuildResult build(List<RoutingPolicy> served, List<RoutingPolicy> namespace) {
        return RoutingTableBuilder.build(1, List.of(MATH, CODE), served, namespace, Fixtures.allReadyExcept(),
                SecretResolver.NONE, ArtifactSource.NONE, StrategyRegistry.standard(),
                RoutingTableBuilder.SHARED_ENCODERS);
    }

    @Test
    void aShadowIsBuiltForDecidingButNotServedByTheLivePolicysRouter() {
        RoutingPolicy live = staticPolicy("live", "math", "{policy: candidate, sampleAnswers: 0.02}");
        RoutingPolicy candidate = staticPolicy("candidate", "code", null);
        BuildResult result = build(List.of(live), List.of(live, candidate));

        assertThat(result.table().policies()).containsOnlyKeys("live");
        PolicyRoute liveRoute = result.table().policy("live").orElseThrow();
        ShadowRoute shadow = result.table().shadowOf(liveRoute).orElseThrow();
        assertThat(shadow.live()).isEqualTo("live");
        assertThat(shadow.policy().name()).isEqualTo("candidate");
        assertThat(shadow.sampleAnswers()).isEqualTo(0.02);
        assertThat(shadow.liveGeneration()).isEqualTo(3);
        assertThat(shadow.policy().strategy().decide(new Query("x"), shadow.policy()).expert()).isEqualTo("code");
        assertThat(result.shadowProblems()).isEmpty();
    }

    @Test
    void aServedShadowIsReusedAndBothAreServed() {
        RoutingPolicy live = staticPolicy("live", "math", "{policy: candidate}");
        RoutingPolicy candidate = staticPolicy("candidate", "code", null);
        BuildResult result = build(List.of(live, candidate), List.of(live, candidate));
        assertThat(result.table().policies()).containsOnlyKeys("live", "candidate");
        assertThat(result.table().shadowOf(result.table().policy("live").orElseThrow()).orElseThrow().policy())
                .isSameAs(result.table().policy("candidate").orElseThrow());
    }

    @Test
    void aMissingOrBrokenShadowLeavesTheLivePolicyServedWithoutShadow() {
        RoutingPolicy live = staticPolicy("live", "math", "{policy: candidate}");
        BuildResult missing = build(List.of(live), List.of(live));
        assertThat(missing.table().policies()).containsOnlyKeys("live");
        assertThat(missing.table().shadows()).isEmpty();
        assertThat(missing.errors()).isEmpty();
        assertThat(missing.shadowProblems()).containsOnly(Map.entry("ai/live", "spec.shadow.policy: no "
                + "RoutingPolicy 'candidate' in namespace ai; no shadow decisions are made until it exists"));

        RoutingPolicy brokenEncoder = policy("""
                metadata: {name: candidate, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: category, category: {categories: [{name: math}]}}
                  embedding: {builtin: nope}
                """);
        BuildResult broken = build(List.of(live), List.of(live, brokenEncoder));
        assertThat(broken.table().policies()).containsOnlyKeys("live");
        assertThat(broken.table().shadows()).isEmpty();
        assertThat(broken.shadowProblems()).containsOnly(Map.entry("ai/live", "spec.shadow.policy: RoutingPolicy "
                + "'candidate' cannot decide: spec.embedding.builtin: unknown encoder 'nope', expected "
                + "all-minilm-l6-v2-q or hashing"));
    }
}
