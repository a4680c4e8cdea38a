package dev.switchboard.lab.train;

import dev.switchboard.api.v1alpha1.ClassifierStrategySpec;
import dev.switchboard.api.v1alpha1.CostAwareStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.strategy.Synthetic;
import dev.switchboard.engine.strategy.TagEncoder;
import dev.switchboard.engine.table.StrategyRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LearnedStrategiesTest {
    private static final List<String> EXPERTS = List.of("e0", "e1", "e2");

    private static double[] specialist(int tag, int i) {
        double[] s = new double[3];
        s[tag] = 1;
        return s;
    }

    private static String clusterArtifact() {
        Synthetic.Data d = Synthetic.data(3, 30, "", LearnedStrategiesTest::specialist);
        return RouterTrainer.cluster(TagEncoder.ID, EXPERTS, d.x(), d.s(), 3, 1).toJson();
    }

    /** Experts e0 (strong on tag 0, expensive), e1 (decent everywhere, cheap), e2. */
    private static String classifierArtifact() {
        java.util.Random r = new java.util.Random(5);
        double[][] p = {{0.95, 0.85, 0.2}, {0.9, 0.3, 0.2}, {0.5, 0.4, 0.9}};
        Synthetic.Data d = Synthetic.data(3, 200, "", (t, i) -> new double[]{
                r.nextDouble() < p[t][0] ? 1 : 0, r.nextDouble() < p[t][1] ? 1 : 0, r.nextDouble() < p[t][2] ? 1 : 0});
        return RouterTrainer.classifier(TagEncoder.ID, EXPERTS, d.x(), d.s(),
                LinearTrainer.Options.DEFAULT.withEpochs(40)).toJson();
    }

    private static RoutingStrategy build(String type, RoutingPolicySpec spec, String json) {
        return StrategyRegistry.standard().builder(type).orElseThrow()
                .build("p", spec, Map.of(), Synthetic.context(Synthetic.ENCODER, Map.of("cm/router.json", json)));
    }

    @Test
    void clusterStrategyRoutesEachClusterToItsExpertAndSkipsUnroutableExperts() {
        RoutingStrategy s = build("cluster", Synthetic.spec("cluster", "cm"), clusterArtifact());
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 1, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("e2", 1, true), Synthetic.expert("general", 1, true));
        var policy = Synthetic.policy(s, experts, "general");
        for (int t = 0; t < 3; t++) {
            Decision d = s.decide(new Query("f" + t + " something new"), policy);
            assertThat(d.expert()).isEqualTo("e" + t);
            assertThat(d.ranked()).element(1).isEqualTo("general"); // then the fallback
            assertThat(d.category()).startsWith("cluster-");
            assertThat(d.fellBack()).isFalse();
        }
        // e1 down: its cluster goes elsewhere, never to an unroutable expert
        var withoutE1 = Synthetic.policy(s, Synthetic.experts(Synthetic.expert("e0", 1, true),
                Synthetic.expert("e1", 1, false), Synthetic.expert("e2", 1, true)), null);
        Decision d = s.decide(new Query("f1 query"), withoutE1);
        assertThat(d.ranked()).doesNotContain("e1").isNotEmpty();
        // a policy without any trained expert routable falls back
        var onlyNew = Synthetic.policy(s, Synthetic.experts(Synthetic.expert("brand-new", 1, true)), "brand-new");
        Decision f = s.decide(new Query("f0 query"), onlyNew);
        assertThat(f.ranked()).containsExactly("brand-new");
        assertThat(f.fallbackReason()).contains("no expert of the trained router is routable");
    }

    @Test
    void classifierBestAndThresholdCheapestWithFallback() {
        String json = classifierArtifact();
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 10, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("e2", 2, true), Synthetic.expert("general", 5, true));
        RoutingStrategy best = build("classifier", Synthetic.spec("classifier", "cm"), json);
        assertThat(best.decide(new Query("f0 q"), Synthetic.policy(best, experts, "general")).expert()).isEqualTo("e0");

        RoutingPolicySpec spec = Synthetic.spec("classifier", "cm");
        spec.strategy.classifier = new ClassifierStrategySpec();
        spec.strategy.classifier.policy = "thresholdCheapest";
        spec.strategy.classifier.threshold = 0.7;
        RoutingStrategy cheap = build("classifier", spec, json);
        var policy = Synthetic.policy(cheap, experts, "general");
        // tag 0: e1 (cost 1) clears 0.7, so it beats the better but expensive e0
        assertThat(cheap.decide(new Query("f0 q"), policy).expert()).isEqualTo("e1");
        // tag 1: only e0 clears 0.7
        assertThat(cheap.decide(new Query("f1 q"), policy).expert()).isEqualTo("e0");
        // nobody clears 0.99: fallback first, with the reason
        spec.strategy.classifier.threshold = 0.99;
        RoutingStrategy strict = build("classifier", spec, json);
        Decision d = strict.decide(new Query("f2 q"), Synthetic.policy(strict, experts, "general"));
        assertThat(d.expert()).isEqualTo("general");
        assertThat(d.fallbackReason()).contains("threshold 0.99");
    }

    @Test
    void costAwareKnobMovesTowardCheaperExperts() {
        String json = classifierArtifact();
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 10, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("e2", 2, true));
        RoutingPolicySpec spec = Synthetic.spec("costAware", "cm");
        spec.strategy.costAware = new CostAwareStrategySpec();
        spec.strategy.costAware.costWeight = 0.0;
        RoutingStrategy free = build("costAware", spec, json);
        assertThat(free.decide(new Query("f0 q"), Synthetic.policy(free, experts, null)).expert()).isEqualTo("e0");
        spec.strategy.costAware.costWeight = 1.0;
        RoutingStrategy thrifty = build("costAware", spec, json);
        assertThat(thrifty.decide(new Query("f0 q"), Synthetic.policy(thrifty, experts, null)).expert())
                .isEqualTo("e1");
    }

    @Test
    void refusesWrongEncoderMissingAndIllFormedArtifacts() {
        String json = clusterArtifact();
        var registry = StrategyRegistry.standard();
        var hashing = Synthetic.context(new HashingEncoder(), Map.of("cm/router.json", json));
        assertThatThrownBy(() -> registry.builder("cluster").orElseThrow()
                .build("p", Synthetic.spec("cluster", "cm"), Map.of(), hashing))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("spec.strategy.learned: artifact cm/router.json was trained with encoder "
                        + TagEncoder.ID + " but this policy uses hashing-v1");
        assertThatThrownBy(() -> build("cluster", Synthetic.spec("cluster", "other"), json))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("other/router.json not found");
        assertThatThrownBy(() -> build("cluster", Synthetic.spec("cluster", null), json))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("spec.strategy.learned.configMapRef is required");
        assertThatThrownBy(() -> build("cluster", Synthetic.spec("cluster", "cm"), "{not json"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("cm/router.json is not a valid router artifact");
        assertThatThrownBy(() -> build("cluster", Synthetic.spec("cluster", "cm"),
                json.replace("\"clusterScores\"", "\"ignored\"")))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("clusterScores needs one row per centroid");
        assertThatThrownBy(() -> build("reward", Synthetic.spec("reward", "cm"), json))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("is a cluster router, strategy reward needs a reward artifact");
    }

    @Test
    void uncertainDecisionsGoToTheFallback() {
        // tag 0: e0 predicted ~0.95, e1 ~0.85 -> small margin; tag 1: e0 ~0.9, e1 ~0.3 -> large margin
        String json = classifierArtifact();
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 1, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("e2", 1, true), Synthetic.expert("general", 1, true));
        RoutingPolicySpec spec = Synthetic.spec("classifier", "cm");
        spec.strategy.uncertainty = new dev.switchboard.api.v1alpha1.UncertaintySpec();
        spec.strategy.uncertainty.threshold = 0.3;
        spec.strategy.uncertainty.metric = "margin";
        RoutingStrategy s = build("classifier", spec, json);
        var policy = Synthetic.policy(s, experts, "general");
        Decision close = s.decide(new Query("f0 q"), policy);
        assertThat(close.ranked()).startsWith("general", "e0");
        assertThat(close.fallbackReason()).contains("below the uncertainty threshold 0.3");
        assertThat(close.confidence()).isLessThan(0.3);
        Decision clear = s.decide(new Query("f1 q"), policy);
        assertThat(clear.expert()).isEqualTo("e0");
        assertThat(clear.fellBack()).isFalse();
        assertThat(clear.confidence()).isGreaterThan(0.3);
    }

    @Test
    void artifactJsonRoundTrips() {
        RouterArtifact a = RouterArtifact.parse(clusterArtifact(), "test");
        RouterArtifact b = RouterArtifact.parse(a.toJson(), "test");
        assertThat(b.experts).isEqualTo(EXPERTS);
        assertThat(b.centroids).isDeepEqualTo(a.centroids);
        assertThat(b.clusterScores).isDeepEqualTo(a.clusterScores);
        assertThat(b.training).containsEntry("k", 3);
    }
}
