package dev.switchboard.lab.train;

import dev.switchboard.api.v1alpha1.ClassifierStrategySpec;
import dev.switchboard.api.v1alpha1.CostAwareStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.learned.KnnPredictor;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.strategy.Synthetic;
import dev.switchboard.engine.strategy.TagEncoder;
import dev.switchboard.engine.table.StrategyRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnnPredictorTest {
    private static final List<String> EXPERTS = List.of("e0", "e1");

    /** Two separable clusters: e0 succeeds on tag 0 (90 % vs 20 %), e1 on tag 1 (85 % vs 30 %). */
    private static Synthetic.Data twoClusters(int perTag, long seed) {
        Random r = new Random(seed);
        double[][] p = {{0.9, 0.2}, {0.3, 0.85}};
        return Synthetic.data(2, perTag, "", (t, i) -> new double[]{
                r.nextDouble() < p[t][0] ? 1 : 0, r.nextDouble() < p[t][1] ? 1 : 0});
    }

    private static RoutingStrategy build(String type, RoutingPolicySpec spec, String json) {
        return StrategyRegistry.standard().builder(type).orElseThrow()
                .build("p", spec, Map.of(), Synthetic.context(Synthetic.ENCODER, Map.of("cm/router.json", json)));
    }

    @Test
    void predictsEachClustersSuccessRatesAndPicksItsBestExpert() {
        Synthetic.Data train = twoClusters(200, 1);
        RouterArtifact a = RouterTrainer.knn(TagEncoder.ID, EXPERTS, train.x(), train.s(), 50, 1.0, 0, 1);
        QualityPredictor p = a.predictor();
        double[] q0 = p.predict(Synthetic.ENCODER.embed("f0 unseen words")).quality();
        double[] q1 = p.predict(Synthetic.ENCODER.embed("f1 unseen words")).quality();
        // 50 neighbours, all from the query's own cluster: the mean is within sampling noise of the true rate
        assertThat(q0[0]).isCloseTo(0.9, Offset.offset(0.15));
        assertThat(q0[1]).isCloseTo(0.2, Offset.offset(0.15));
        assertThat(q1[0]).isCloseTo(0.3, Offset.offset(0.15));
        assertThat(q1[1]).isCloseTo(0.85, Offset.offset(0.15));
        Synthetic.Data test = Synthetic.data(2, 20, "fresh", (t, i) -> t == 0 ? new double[]{1, 0} : new double[]{0, 1});
        assertThat(RouterTrainer.accuracy(p, test.x(), test.s())).isEqualTo(1.0);
    }

    @Test
    void lowTemperatureFollowsTheNearestNeighbour() {
        float[][] points = {{1, 0}, {0.9f, 0.1f}, {0, 1}};
        double[][] scores = {{1, 0}, {0, 1}, {0, 1}};
        float[] query = {1, 0.01f};
        // k=2 uniform-ish: e0 and e1 tie at 0.5; T tiny: only the nearest point counts
        assertThat(new KnnPredictor(points, scores, null, 2, 100).predict(query).quality()[0])
                .isCloseTo(0.5, Offset.offset(0.01));
        assertThat(new KnnPredictor(points, scores, null, 2, 1e-4).predict(query).quality()[0])
                .isCloseTo(1.0, Offset.offset(1e-6));
        // centroid weights count members: a 3-member point outweighs a 1-member one at equal similarity
        double[] w = {1, 3, 1};
        assertThat(new KnnPredictor(points, scores, w, 2, 100).predict(query).quality()[1])
                .isCloseTo(0.75, Offset.offset(0.01));
    }

    @Test
    void centroidVariantRoutesLikeTheFullOne() {
        Synthetic.Data train = twoClusters(100, 2);
        RouterArtifact a = RouterTrainer.knn(TagEncoder.ID, EXPERTS, train.x(), train.s(), 4, 1.0, 8, 1);
        assertThat(a.knnPointScales).hasSize(8);
        assertThat(a.knnWeights).hasSize(8);
        assertThat(java.util.Arrays.stream(a.knnWeights).sum()).isEqualTo(200);
        Synthetic.Data test = Synthetic.data(2, 20, "fresh", (t, i) -> t == 0 ? new double[]{1, 0} : new double[]{0, 1});
        assertThat(RouterTrainer.accuracy(a.predictor(), test.x(), test.s())).isEqualTo(1.0);
    }

    @Test
    void artifactRoundTripKeepsPredictionsWithinQuantisationError() {
        Synthetic.Data train = twoClusters(60, 3);
        RouterArtifact a = RouterTrainer.knn(TagEncoder.ID, EXPERTS, train.x(), train.s(), 10, 0.1, 0, 1);
        RouterArtifact b = RouterArtifact.parse(a.toJson(), "test");
        assertThat(b.kind).isEqualTo("classifier");
        assertThat(b.model).isEqualTo("knn");
        assertThat(b.knnK).isEqualTo(10);
        assertThat(b.knnTemperature).isEqualTo(0.1);
        // exact float predictor on the raw data vs the int8 / byte artifact
        KnnPredictor exact = new KnnPredictor(train.x(), train.s(), null, 10, 0.1);
        for (String text : List.of("f0 a", "f1 b", "f0 f1 c")) {
            float[] x = Synthetic.ENCODER.embed(text);
            double[] want = exact.predict(x).quality();
            double[] got = b.predictor().predict(x).quality();
            for (int j = 0; j < 2; j++) {
                assertThat(got[j]).as("%s expert %d", text, j).isCloseTo(want[j], Offset.offset(0.03));
            }
        }
        assertThatThrownBy(() -> RouterArtifact.parse(a.toJson().replace("\"knnK\":10", "\"knnK\":0"), "cm/router.json"))
                .hasMessage("cm/router.json: knnK must be at least 1");
        assertThatThrownBy(() -> RouterArtifact.parse(a.toJson().replace("\"model\":\"knn\"", "\"model\":\"forest\""),
                "cm/router.json")).hasMessageContaining("model must be logistic or knn (got forest)");
        String truncated = a.toJson().replace("\"knnScores\":\"", "\"knnScores\":\"AAAA");
        assertThatThrownBy(() -> RouterArtifact.parse(truncated, "cm/router.json"))
                .hasMessageContaining("knnScores must hold 120 x 2 bytes");
    }

    @Test
    void classifierAndCostAwareStrategiesServeTheKnnArtifactAndRefuseAWrongEncoder() {
        Synthetic.Data train = twoClusters(200, 4);
        // k = a whole cluster: the predictions are the clusters' empirical success rates
        String json = RouterTrainer.knn(TagEncoder.ID, EXPERTS, train.x(), train.s(), 200, 1.0, 0, 1).toJson();
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 10, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("general", 5, true));
        RoutingStrategy best = build("classifier", Synthetic.spec("classifier", "cm"), json);
        assertThat(best.decide(new Query("f0 q"), Synthetic.policy(best, experts, "general")).expert()).isEqualTo("e0");
        assertThat(best.decide(new Query("f1 q"), Synthetic.policy(best, experts, "general")).expert()).isEqualTo("e1");

        RoutingPolicySpec spec = Synthetic.spec("classifier", "cm");
        spec.strategy.classifier = new ClassifierStrategySpec();
        spec.strategy.classifier.policy = "thresholdCheapest";
        spec.strategy.classifier.threshold = 0.99;
        RoutingStrategy strict = build("classifier", spec, json);
        assertThat(strict.decide(new Query("f0 q"), Synthetic.policy(strict, experts, "general")).expert())
                .isEqualTo("general");

        RoutingPolicySpec ca = Synthetic.spec("costAware", "cm");
        ca.strategy.costAware = new CostAwareStrategySpec();
        ca.strategy.costAware.costWeight = 1.0;
        RoutingStrategy thrifty = build("costAware", ca, json);
        // e0 is 0.9 vs e1's 0.3 on tag 0, but costs 10x: lambda 1 sends it to e1
        assertThat(thrifty.decide(new Query("f0 q"), Synthetic.policy(thrifty, experts, null)).expert())
                .isEqualTo("e1");

        var hashing = Synthetic.context(new HashingEncoder(), Map.of("cm/router.json", json));
        assertThatThrownBy(() -> StrategyRegistry.standard().builder("classifier").orElseThrow()
                .build("p", Synthetic.spec("classifier", "cm"), Map.of(), hashing))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("spec.strategy.learned: artifact cm/router.json was trained with encoder "
                        + TagEncoder.ID + " but this policy uses hashing-v1");
    }
}
