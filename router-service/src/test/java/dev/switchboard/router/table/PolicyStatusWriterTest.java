package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.lab.train.LinearTrainer;
import dev.switchboard.lab.train.RouterTrainer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rows of status.routingTable, from routing tables built by the engine as the router builds them. */
class PolicyStatusWriterTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final HashingEncoder ENCODER = new HashingEncoder();
    /** Ready endpoints per expert; the others have none. */
    private static final Map<String, Integer> READY = Map.of("mathy", 2, "poet", 1);

    /** A trained classifier of math, poetry and history queries (kind category, hashing encoder). */
    static final String ARTIFACT = trainedArtifact();

    @Test
    void zeroShotCategoriesFollowTheRoutesThenTheExpertsListingThem() {
        PolicyRoute route = route("""
                  experts: {names: [mathy, poet, general]}
                  fallback: general
                  strategy:
                    type: category
                    category:
                      categories: [{name: math}, {name: chat}]
                      routes:
                        - {category: math, experts: [{name: mathy}]}
                        - {category: chat, experts: [{name: general}]}
                """);
        // the zero-shot categories: the policy's, then those of the experts' expertise (by expert name)
        assertThat(rows(route)).containsExactly("math/mathy/2", "chat/general/0", "general/general/0",
                "poetry/poet/1", "fallback/general/0");
    }

    @Test
    void aTrainedClassifierListsEveryCategoryItKnowsAndUncoveredOnesGoToTheFallback() {
        // math is routed, poetry is covered by poet's expertise, history by nothing: it falls to spec.fallback
        PolicyRoute route = route("""
                  experts: {names: [mathy, poet, general]}
                  fallback: general
                  strategy:
                    type: category
                    learned: {configMapRef: category-router}
                    category:
                      routes:
                        - {category: math, experts: [{name: mathy}]}
                """);
        assertThat(rows(route)).containsExactly("history/general/0", "math/mathy/2", "poetry/poet/1",
                "fallback/general/0");
    }

    @Test
    void withoutFallbackAnUncoveredCategoryGoesToTheGeneralists() {
        PolicyRoute route = route("""
                  experts: {names: [mathy, poet, general]}
                  strategy:
                    type: category
                    learned: {configMapRef: category-router}
                """);
        assertThat(rows(route)).containsExactly("history/general/0", "math/mathy/2", "poetry/poet/1");
    }

    @Test
    void withoutFallbackOrGeneralistAnUncoveredCategoryShowsNoExpert() {
        PolicyRoute route = route("""
                  experts: {names: [mathy, poet]}
                  strategy:
                    type: category
                    learned: {configMapRef: category-router}
                """);
        assertThat(rows(route)).containsExactly("history/null/0", "math/mathy/2", "poetry/poet/1");
        RoutingTableStatus.Route history = PolicyStatusWriter.routes(route).routes.get(0);
        assertThat(YAML.asJson(history)).isEqualTo("{\"route\":\"history\",\"readyEndpoints\":0}");
    }

    @Test
    void strategiesWithoutCategoriesGetOneStarRowPerExpert() {
        PolicyRoute route = route("""
                  experts: {names: [mathy, general]}
                  fallback: general
                  strategy:
                    type: static
                    static: {experts: [{name: mathy, weight: 1}, {name: general, weight: 1}]}
                """);
        assertThat(rows(route)).containsExactly("*/general/0", "*/mathy/2", "fallback/general/0");
    }

    private static List<String> rows(PolicyRoute route) {
        return PolicyStatusWriter.routes(route).routes.stream()
                .map(r -> r.route + "/" + r.expert + "/" + r.readyEndpoints).toList();
    }

    static PolicyRoute route(String spec) {
        List<ExpertModel> experts = List.of(expert("mathy", "[math]", false), expert("poet", "[poetry]", false),
                expert("general", "[general]", true));
        RoutingPolicy policy = YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: ai}
                spec:
                  modelName: coe
                %s""".formatted(spec), RoutingPolicy.class);
        ArtifactSource artifacts = (ns, cm, key) -> cm.equals("category-router") ? Optional.of(ARTIFACT)
                : Optional.empty();
        BuildResult built = RoutingTableBuilder.build(1, experts, List.of(policy),
                e -> IntStream.range(0, READY.getOrDefault(e.getMetadata().getName(), 0))
                        .mapToObj(i -> new Endpoint("http://10.0.0." + i + ":8000/v1")).toList(),
                SecretResolver.NONE, artifacts, StrategyRegistry.standard(), (ns, s, secrets) -> ENCODER);
        assertThat(built.errors()).isEmpty();
        return built.table().policy("coe").orElseThrow();
    }

    private static ExpertModel expert(String name, String categories, boolean generalist) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: %s, namespace: ai}
                spec:
                  model: {uri: "hf://org/%s"}
                  expertise: {categories: %s, generalist: %s}
                """.formatted(name, name, categories, generalist), ExpertModel.class);
    }

    private static String trainedArtifact() {
        String[][] words = {{"solve", "equation", "integral"}, {"poem", "verse", "rhyme"}, {"empire", "war", "king"}};
        String[] names = {"math", "poetry", "history"};
        int n = 60;
        float[][] x = new float[n][];
        String[] categories = new String[n];
        for (int i = 0; i < n; i++) {
            String[] w = words[i % 3];
            x[i] = ENCODER.embed(w[i % 3] + " " + w[(i / 3) % 3] + " item" + i);
            categories[i] = names[i % 3];
        }
        return RouterTrainer.category(ENCODER.id(), List.of("mathy"), x, new double[n][1], categories,
                LinearTrainer.Options.DEFAULT).toJson();
    }
}
