package dev.switchboard.lab.train;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Learned policies built by the engine's RoutingTableBuilder from RoutingPolicy YAML and a ConfigMap artifact. */
class LearnedPolicyTableTest {
    private static ExpertModel expert(String name, double cost) {
        return Fixtures.expert("""
                metadata: {name: %s, namespace: ai}
                spec:
                  model: {uri: hf://org/%s}
                  cost: {relative: %s}
                """.formatted(name, name, cost));
    }

    private static RoutingPolicy policy(String type, String extra) {
        return Fixtures.policy("""
                metadata: {name: learned, namespace: ai}
                spec:
                  modelName: switchboard-learned
                  experts: {names: [mathy, poet, general]}
                  strategy:
                    type: %s
                    learned: {configMapRef: router}
                %s
                  fallback: general
                """.formatted(type, extra));
    }

    /** Artifact trained with the hashing encoder: mathy answers math words, poet answers poetry words. */
    private static String artifact(String encoderId) {
        List<String> texts = new java.util.ArrayList<>();
        List<double[]> scores = new java.util.ArrayList<>();
        String[] math = {"solve", "equation", "integral", "algebra"};
        String[] poem = {"poem", "verse", "rhyme", "sonnet"};
        for (int i = 0; i < 80; i++) {
            boolean m = i % 2 == 0;
            String[] w = m ? math : poem;
            texts.add(w[i % 4] + " " + w[(i / 4) % 4] + " item" + i);
            scores.add(m ? new double[]{1, 0} : new double[]{0, 1});
        }
        float[][] x = texts.stream().map(Fixtures.HASHING::embed).toArray(float[][]::new);
        RouterArtifact a = RouterTrainer.classifier(Fixtures.HASHING.id(), List.of("mathy", "poet"), x,
                scores.toArray(double[][]::new), LinearTrainer.Options.DEFAULT);
        a.encoder = encoderId;
        return a.toJson();
    }

    private static BuildResult build(RoutingPolicy policy, String json) {
        ArtifactSource source = (ns, cm, key) -> ns.equals("ai") && cm.equals("router") && key.equals("router.json")
                ? Optional.of(json) : Optional.empty();
        return RoutingTableBuilder.build(1, List.of(expert("mathy", 2), expert("poet", 1), expert("general", 5)),
                List.of(policy), Fixtures.allReadyExcept(), SecretResolver.NONE, source, StrategyRegistry.standard(),
                (ns, spec, secrets) -> Fixtures.HASHING);
    }

    @Test
    void classifierAndCostAwarePoliciesRouteFromTheirArtifact() {
        String json = artifact(Fixtures.HASHING.id());
        BuildResult r = build(policy("classifier", ""), json);
        assertThat(r.errors()).isEmpty();
        PolicyRoute route = r.table().policy("switchboard-learned").orElseThrow();
        Decision d = route.strategy().decide(new Query("solve this equation"), route);
        assertThat(d.ranked()).startsWith("mathy", "general");
        assertThat(route.strategy().decide(new Query("a sonnet with rhyme"), route).expert()).isEqualTo("poet");

        // costWeight high enough: the cheaper poet wins even for math (cost from ExpertModel spec.cost.relative)
        BuildResult cheap = build(policy("costAware", "    costAware: {costWeight: 5}"), json);
        assertThat(cheap.errors()).isEmpty();
        PolicyRoute c = cheap.table().policy("switchboard-learned").orElseThrow();
        assertThat(c.strategy().decide(new Query("solve this equation"), c).expert()).isEqualTo("poet");
    }

    @Test
    void encoderMismatchIsAPolicyErrorNamingTheField() {
        BuildResult r = build(policy("classifier", ""), artifact("all-minilm-l6-v2-q"));
        assertThat(r.errors()).containsKey("ai/learned");
        assertThat(r.errors().get("ai/learned")).contains("spec.strategy.learned: artifact router/router.json was "
                + "trained with encoder all-minilm-l6-v2-q but this policy uses hashing-v1");
        assertThat(r.table().policy("switchboard-learned")).isEmpty();
    }
}
