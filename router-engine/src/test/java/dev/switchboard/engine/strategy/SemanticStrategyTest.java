package dev.switchboard.engine.strategy;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.BuildResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.engine.Fixtures.expert;
import static dev.switchboard.engine.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Nearest-example routing with the lexical hashing encoder. */
class SemanticStrategyTest {
    static final String POLICY = """
            metadata: {name: semantic, namespace: ai}
            spec:
              experts: {names: [math, code, chef, generalist, silent]}
              strategy: {type: semantic, semantic: {topK: 3, minSimilarity: 0.3}}
              fallback: generalist
            """;

    static PolicyRoute route(String policyYaml, String... down) {
        BuildResult result = Fixtures.build(withSilent(), List.of(policy(policyYaml)), Fixtures.allReadyExcept(down));
        assertThat(result.errors()).isEmpty();
        return result.table().policies().values().iterator().next();
    }

    /** The category test's experts plus one without examples or description, which semantic routing ignores. */
    static List<dev.switchboard.api.v1alpha1.ExpertModel> withSilent() {
        var list = new java.util.ArrayList<>(CategoryStrategyTest.EXPERTS);
        list.add(expert("metadata: {name: silent, namespace: ai}\nspec: {model: {uri: hf://org/silent}}"));
        return list;
    }

    @Test
    void nearestExamplesPickTheExpert() {
        PolicyRoute route = route(POLICY);
        Decision d = decide(route, "compute the integral of x cubed");
        assertThat(d.expert()).isEqualTo("math");
        assertThat(d.fallbackReason()).isNull();
        assertThat(d.strategy()).isEqualTo("semantic");
        assertThat(decide(route, "write a python function to sort a dictionary").expert()).isEqualTo("code");
        assertThat(decide(route, "how long to boil potatoes").expert()).isEqualTo("chef");
    }

    @Test
    void scoresSumTopKSimilaritiesPerExpert() {
        PolicyRoute route = route(POLICY);
        Decision d = decide(route, "recipe for chocolate cake");
        // an exact example match has similarity 1; the other top-3 entries add less
        assertThat(d.scores().get("chef")).isGreaterThanOrEqualTo(1.0);
        assertThat(d.scores().values()).allMatch(v -> v <= d.scores().get("chef"));
        double total = d.scores().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(d.confidence()).isCloseTo(d.scores().get("chef") / total, within(1e-9));
        // ranking: by score, then the fallback, then every other routable expert
        assertThat(d.ranked()).startsWith("chef").contains("generalist", "math", "code", "silent");
    }

    @Test
    void dissimilarQueriesGoToTheFallback() {
        Decision d = decide(route(POLICY), "quantum chromodynamics lattice simulations");
        assertThat(d.fallbackReason()).isEqualTo("low-similarity");
        assertThat(d.expert()).isEqualTo("generalist");
    }

    @Test
    void bestExpertDownGoesToTheFallbackFirst() {
        Decision d = decide(route(POLICY, "math"), "compute the integral of x cubed");
        assertThat(d.fallbackReason()).isEqualTo("no-ready-expert");
        assertThat(d.ranked()).startsWith("generalist").doesNotContain("math");
    }

    @Test
    void expertsWithoutExamplesCannotBeRoutedSemantically() {
        BuildResult result = Fixtures.build(withSilent(), List.of(policy("""
                metadata: {name: s, namespace: ai}
                spec:
                  experts: {names: [silent]}
                  strategy: {type: semantic}
                """)), Fixtures.allReadyExcept());
        assertThat(result.errors().get("ai/s")).isEqualTo("spec.experts: none of the selected experts (silent) has "
                + "expertise.examples or expertise.description to compare queries with");
    }

    private static Decision decide(PolicyRoute route, String text) {
        return route.strategy().decide(new Query(text), route);
    }
}
