package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.ExpertModel;
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

/** Composition of Experts on a tiny synthetic set with the lexical hashing encoder (exact, deterministic). */
class CategoryStrategyTest {
    static final List<ExpertModel> EXPERTS = List.of(
            expert("""
                    metadata: {name: math, namespace: ai}
                    spec:
                      model: {uri: hf://org/math}
                      expertise:
                        categories: [math]
                        examples: [solve the equation x plus 2 equals 5, compute the integral of x squared]
                    """),
            expert("""
                    metadata: {name: code, namespace: ai}
                    spec:
                      model: {uri: hf://org/code}
                      expertise:
                        categories: [code]
                        examples: [write a python function to sort a list, fix this java null pointer exception]
                    """),
            expert("""
                    metadata: {name: chef, namespace: ai}
                    spec:
                      model: {uri: hf://org/chef}
                      expertise:
                        categories: [cooking]
                        description: recipes baking and kitchen advice
                        examples: [recipe for chocolate cake, how long to boil an egg]
                    """),
            expert("""
                    metadata: {name: generalist, namespace: ai}
                    spec:
                      model: {uri: hf://org/generalist}
                      expertise: {categories: [general], generalist: true, examples: [hello how are you today]}
                    """));

    static PolicyRoute route(String policyYaml, String... down) {
        BuildResult result = Fixtures.build(EXPERTS, List.of(policy(policyYaml)), Fixtures.allReadyExcept(down));
        assertThat(result.errors()).isEmpty();
        return result.table().policies().values().iterator().next();
    }

    static final String COE = """
            metadata: {name: coe, namespace: ai}
            spec:
              experts: {names: [math, code, chef, generalist]}
              strategy:
                type: category
                category:
                  categories:
                    - {name: math, description: equations integrals and arithmetic}
                  temperature: 0.05
                uncertainty: {metric: maxProb, threshold: 0.5}
              fallback: generalist
            """;

    @Test
    void categoriesComeFromPolicyAndExperts() {
        PolicyRoute route = route(COE);
        CategoryStrategy strategy = (CategoryStrategy) route.strategy();
        assertThat(strategy.categoryNames()).containsExactly("math", "cooking", "code", "general");
        var texts = CategoryStrategy.categoryTexts(policy(COE).getSpec().strategy.category, route.experts());
        assertThat(texts.get("math")).containsExactly("equations integrals and arithmetic",
                "solve the equation x plus 2 equals 5", "compute the integral of x squared");
        assertThat(texts.get("cooking")).containsExactly("recipes baking and kitchen advice",
                "recipe for chocolate cake", "how long to boil an egg");
    }

    @Test
    void routesEachQueryToItsCategoryExpert() {
        PolicyRoute route = route(COE);
        assertThat(decide(route, "solve the equation x plus 7 equals 9")).satisfies(d -> {
            assertThat(d.category()).isEqualTo("math");
            assertThat(d.expert()).isEqualTo("math");
            assertThat(d.fallbackReason()).isNull();
            assertThat(d.confidence()).isGreaterThan(0.9);
        });
        assertThat(decide(route, "write a java function to sort an array").category()).isEqualTo("code");
        assertThat(decide(route, "recipe for apple cake").expert()).isEqualTo("chef");
        assertThat(decide(route, "hello, how are you?").expert()).isEqualTo("generalist");
    }

    @Test
    void scoresAreCategoryProbabilitiesAndRankingCoversTheRest() {
        PolicyRoute route = route(COE);
        Decision d = decide(route, "write a python function to reverse a list");
        assertThat(d.scores()).containsOnlyKeys("math", "cooking", "code", "general");
        assertThat(d.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(d.confidence()).isEqualTo(d.scores().get("code"));
        // chosen, then the fallback, then the others by probability
        assertThat(d.ranked()).startsWith("code", "generalist").containsExactlyInAnyOrder("code", "generalist",
                "math", "chef");
    }

    @Test
    void unsureQueriesGoToTheFallback() {
        PolicyRoute route = route(COE);
        Decision d = decide(route, "quantum chromodynamics lattice simulations");
        assertThat(d.confidence()).isLessThan(0.5);
        assertThat(d.fallbackReason()).isEqualTo("low-confidence");
        assertThat(d.expert()).isEqualTo("generalist");
    }

    @Test
    void categoryWithoutReadyExpertGoesToTheFallback() {
        PolicyRoute route = route(COE, "math");
        Decision d = decide(route, "solve the equation x plus 7 equals 9");
        assertThat(d.category()).isEqualTo("math");
        assertThat(d.fallbackReason()).isEqualTo("no-ready-expert-for-category");
        assertThat(d.ranked()).doesNotContain("math").startsWith("generalist");
    }

    @Test
    void generalistIsTheLastResortWhenTheFallbackIsDown() {
        PolicyRoute route = route(COE.replace("fallback: generalist", "fallback: chef"), "math", "chef");
        Decision d = decide(route, "solve the equation x plus 7 equals 9");
        assertThat(d.fallbackReason()).isEqualTo("no-ready-expert-for-category");
        assertThat(d.expert()).isEqualTo("generalist");
    }

    @Test
    void weightedRoutesOverrideExpertise() {
        PolicyRoute route = route("""
                metadata: {name: coe, namespace: ai}
                spec:
                  experts: {names: [math, code, chef, generalist]}
                  strategy:
                    type: category
                    category:
                      routes:
                        - category: cooking
                          experts: [{name: generalist, weight: 1}, {name: chef, weight: 0}]
                  fallback: generalist
                """);
        Decision d = decide(route, "recipe for apple cake");
        assertThat(d.category()).isEqualTo("cooking");
        assertThat(d.ranked()).startsWith("generalist", "chef");
    }

    @Test
    void blankQueryIsUnsure() {
        Decision d = decide(route(COE), "   ");
        assertThat(d.fallbackReason()).isEqualTo("low-confidence");
        assertThat(d.confidence()).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void concurrentDecisionsAgree() throws Exception {
        PolicyRoute route = route(COE);
        List<String> queries = List.of("solve the equation x plus 7 equals 9", "write a java function to sort an array",
                "recipe for apple cake", "hello, how are you?");
        List<String> expected = queries.stream().map(q -> decide(route, q).expert()).toList();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Callable<List<String>>> tasks = java.util.Collections.nCopies(8,
                    () -> {
                        List<String> out = new java.util.ArrayList<>();
                        for (int i = 0; i < 200; i++) {
                            out.add(decide(route, queries.get(i % 4)).expert());
                        }
                        return out;
                    });
            for (var f : pool.invokeAll(tasks)) {
                List<String> got = f.get();
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i)).isEqualTo(expected.get(i % 4));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Decision decide(PolicyRoute route, String text) {
        return route.strategy().decide(new Query(text), route);
    }
}
