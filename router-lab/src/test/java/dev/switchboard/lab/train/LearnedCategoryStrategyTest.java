package dev.switchboard.lab.train;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.strategy.CategoryStrategy;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.engine.Fixtures.expert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The category strategy with a trained category classifier (strategy.learned, artifact kind category) built by the
 * engine's RoutingTableBuilder from YAML and a ConfigMap artifact, with the hashing encoder. The artifact knows
 * math, poetry and history; the experts' expertise covers math, poetry and cooking.
 */
class LearnedCategoryStrategyTest {
    static final List<ExpertModel> EXPERTS = List.of(
            expert("""
                    metadata: {name: mathy, namespace: ai}
                    spec:
                      model: {uri: hf://org/mathy}
                      expertise: {categories: [math]}
                    """),
            expert("""
                    metadata: {name: poet, namespace: ai}
                    spec:
                      model: {uri: hf://org/poet}
                      expertise: {categories: [poetry]}
                    """),
            expert("""
                    metadata: {name: chef, namespace: ai}
                    spec:
                      model: {uri: hf://org/chef}
                      expertise: {categories: [cooking], examples: [solve this integral equation]}
                    """),
            expert("""
                    metadata: {name: generalist, namespace: ai}
                    spec:
                      model: {uri: hf://org/generalist}
                      expertise: {categories: [general], generalist: true}
                    """));

    static final String ARTIFACT = CategoryData.artifact(Fixtures.HASHING, CategoryData.rows(40, 1)).toJson();

    static String policy(String strategyExtra) {
        return """
                metadata: {name: coe, namespace: ai}
                spec:
                  experts: {names: [mathy, poet, chef, generalist]}
                  strategy:
                    type: category
                    learned: {configMapRef: category-router}
                %s
                  fallback: generalist
                """.formatted(strategyExtra);
    }

    static BuildResult build(String policyYaml, String artifactJson) {
        ArtifactSource source = (ns, cm, key) -> ns.equals("ai") && cm.equals("category-router")
                && key.equals("router.json") ? Optional.of(artifactJson) : Optional.empty();
        return RoutingTableBuilder.build(1, EXPERTS, List.of(Fixtures.policy(policyYaml)), Fixtures.allReadyExcept(),
                SecretResolver.NONE, source, StrategyRegistry.standard(), (ns, spec, secrets) -> Fixtures.HASHING);
    }

    static PolicyRoute route(String policyYaml, String artifactJson) {
        BuildResult r = build(policyYaml, artifactJson);
        assertThat(r.errors()).isEmpty();
        return r.table().policies().values().iterator().next();
    }

    static Decision decide(PolicyRoute route, String text) {
        return route.strategy().decide(new Query(text), route);
    }

    @Test
    void routesByTheTrainedClassifiersPosteriors() {
        PolicyRoute route = route(policy(""), ARTIFACT);
        // the artifact's categories, not the texts of the experts' expertise (which would give cooking, general)
        assertThat(((CategoryStrategy) route.strategy()).categoryNames()).containsExactly("history", "math", "poetry");
        Decision math = decide(route, "solve this integral equation");
        assertThat(math.category()).isEqualTo("math");
        assertThat(math.expert()).isEqualTo("mathy");
        assertThat(math.fellBack()).isFalse();
        assertThat(math.scores()).containsOnlyKeys("history", "math", "poetry");
        assertThat(math.confidence()).isEqualTo(math.scores().get("math")).isGreaterThan(0.8);
        // then the fallback, then the others
        assertThat(math.ranked()).startsWith("mathy", "generalist");
        assertThat(decide(route, "a sonnet with a metaphor").expert()).isEqualTo("poet");
    }

    @Test
    void aCategoryNoRouteOrExpertCoversGoesToTheFallbackNamingIt() {
        PolicyRoute route = route(policy(""), ARTIFACT);
        Decision d = decide(route, "the treaty that ended the medieval empire");
        assertThat(d.category()).isEqualTo("history");
        assertThat(d.expert()).isEqualTo("generalist");
        assertThat(d.fallbackReason()).startsWith("no-expert-for-category 'history'");
    }

    @Test
    void worksWithoutAFallback() {
        PolicyRoute route = route(policy("").replace("  fallback: generalist\n", ""), ARTIFACT);
        assertThat(route.fallback()).isNull();
        assertThat(decide(route, "solve this integral equation").expert()).isEqualTo("mathy");
        // history: no expert, no fallback: the generalist is the last resort
        Decision d = decide(route, "the treaty that ended the medieval empire");
        assertThat(d.fallbackReason()).startsWith("no-expert-for-category 'history'");
        assertThat(d.expert()).isEqualTo("generalist");
    }

    @Test
    void routesMapTheArtifactsCategoriesToExperts() {
        PolicyRoute route = route(policy("""
                    category:
                      routes:
                        - category: history
                          experts: [{name: chef}]
                        - category: poetry
                          experts: [{name: generalist, weight: 1}, {name: poet, weight: 0}]
                """), ARTIFACT);
        assertThat(decide(route, "the treaty that ended the medieval empire").expert()).isEqualTo("chef");
        assertThat(decide(route, "a sonnet with a metaphor").ranked()).startsWith("generalist", "poet");
        assertThat(decide(route, "solve this integral equation").expert()).isEqualTo("mathy");
    }

    @Test
    void categoryRoutesListEveryCategoryOfTheArtifactAsDecideSendsIt() {
        // what status.routingTable shows: routes, else the experts listing the category, else the fallback
        PolicyRoute route = route(policy("""
                    category:
                      routes:
                        - category: poetry
                          experts: [{name: generalist, weight: 1}, {name: poet, weight: 0}]
                """), ARTIFACT);
        assertThat(route.strategy().categoryRoutes(route)).containsExactly(Map.entry("history", List.of("generalist")),
                Map.entry("math", List.of("mathy")), Map.entry("poetry", List.of("generalist", "poet")));
        // no fallback: the generalists; neither: nothing
        PolicyRoute noFallback = route(policy("").replace("  fallback: generalist\n", ""), ARTIFACT);
        assertThat(noFallback.strategy().categoryRoutes(noFallback)).containsEntry("history", List.of("generalist"));
        PolicyRoute specialistsOnly = route(policy("").replace("  fallback: generalist\n", "")
                .replace("[mathy, poet, chef, generalist]", "[mathy, poet, chef]"), ARTIFACT);
        assertThat(specialistsOnly.strategy().categoryRoutes(specialistsOnly)).containsEntry("history", List.of());
    }

    @Test
    void unsureQueriesGoToTheFallback() {
        PolicyRoute route = route(policy("    uncertainty: {metric: maxProb, threshold: 0.7}"), ARTIFACT);
        Decision unsure = decide(route, "good morning dear friend");
        assertThat(unsure.confidence()).isLessThan(0.7);
        assertThat(unsure.fallbackReason()).isEqualTo("low-confidence");
        assertThat(unsure.expert()).isEqualTo("generalist");
        Decision sure = decide(route, "solve this integral equation");
        assertThat(sure.expert()).isEqualTo("mathy");
        assertThat(sure.fellBack()).isFalse();

        PolicyRoute byMargin = route(policy("    uncertainty: {metric: margin, threshold: 0.5}"), ARTIFACT);
        assertThat(decide(byMargin, "good morning dear friend").fallbackReason()).isEqualTo("low-confidence");
        assertThat(decide(byMargin, "solve this integral equation").expert()).isEqualTo("mathy");
    }

    @Test
    void aNewArtifactInTheConfigMapChangesTheRoutes() {
        // the table is rebuilt when the ConfigMap changes; retrained with math and poetry swapped
        CategoryData.Rows rows = CategoryData.rows(40, 1);
        String[] swapped = rows.categories().clone();
        for (int i = 0; i < swapped.length; i++) {
            swapped[i] = swapped[i].equals("math") ? "poetry" : swapped[i].equals("poetry") ? "math" : swapped[i];
        }
        String retrained = RouterTrainer.category(Fixtures.HASHING.id(), CategoryData.EXPERTS,
                rows.embed(Fixtures.HASHING), rows.scores(), swapped, LinearTrainer.Options.DEFAULT).toJson();
        assertThat(decide(route(policy(""), ARTIFACT), "solve this integral equation").expert()).isEqualTo("mathy");
        assertThat(decide(route(policy(""), retrained), "solve this integral equation").expert()).isEqualTo("poet");
    }

    @Test
    void costAwareReadsTheCategoryArtifactAsMeanScoresOfThePredictedCategory() {
        PolicyRoute route = route("""
                metadata: {name: coe, namespace: ai}
                spec:
                  experts: {names: [mathy, poet, generalist]}
                  strategy:
                    type: costAware
                    learned: {configMapRef: category-router}
                """, ARTIFACT);
        // the artifact's experts are mathy, poet and "general" (not in this policy)
        assertThat(decide(route, "solve this integral equation").expert()).isEqualTo("mathy");
        assertThat(decide(route, "a sonnet with a metaphor").expert()).isEqualTo("poet");
    }

    @Test
    void policyErrorsNameTheField() {
        assertThat(error(policy("""
                    category:
                      routes:
                        - category: cooking
                          experts: [{name: chef}]
                """), ARTIFACT)).isEqualTo("spec.strategy.category.routes[0].category: unknown category 'cooking' "
                + "(the trained classifier category-router/router.json knows: history, math, poetry)");
        assertThat(error(policy("""
                    category:
                      categories: [{name: math}, {name: law}]
                """), ARTIFACT)).startsWith("spec.strategy.category.categories[1].name: unknown category 'law'");

        RouterArtifact minilm = RouterArtifact.parse(ARTIFACT, "t");
        minilm.encoder = "all-minilm-l6-v2-q";
        assertThat(error(policy(""), minilm.toJson())).isEqualTo("spec.strategy.learned: artifact "
                + "category-router/router.json was trained with encoder all-minilm-l6-v2-q but this policy uses "
                + "hashing-v1");

        CategoryData.Rows rows = CategoryData.rows(10, 1);
        String classifier = RouterTrainer.classifier(Fixtures.HASHING.id(), CategoryData.EXPERTS,
                rows.embed(Fixtures.HASHING), rows.scores(), LinearTrainer.Options.DEFAULT).toJson();
        assertThat(error(policy(""), classifier)).endsWith("is a classifier router, strategy category needs a "
                + "category artifact");
        assertThat(error(policy("").replace("category-router", "gone"), ARTIFACT))
                .contains("artifact gone/router.json not found");
    }

    private static String error(String policyYaml, String artifactJson) {
        BuildResult r = build(policyYaml, artifactJson);
        assertThat(r.table().policies()).isEmpty();
        return r.errors().get("ai/coe");
    }
}
