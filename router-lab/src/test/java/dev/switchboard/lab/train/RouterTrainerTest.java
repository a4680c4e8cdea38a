package dev.switchboard.lab.train;

import org.junit.jupiter.api.Test;

import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.strategy.Synthetic;
import dev.switchboard.engine.strategy.TagEncoder;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTrainerTest {
    private static final List<String> EXPERTS = List.of("e0", "e1", "e2");

    /** Expert t answers tag t; the others fail. */
    private static double[] specialist(int tag, int i) {
        double[] s = new double[3];
        s[tag] = 1;
        return s;
    }

    @Test
    void clusterRouterSendsEachSeparableClusterToItsExpert() {
        Synthetic.Data train = Synthetic.data(3, 40, "", RouterTrainerTest::specialist);
        RouterArtifact a = RouterTrainer.cluster(TagEncoder.ID, EXPERTS, train.x(), train.s(), 3, 1);
        assertThat(a.centroids).hasNumberOfRows(3);
        Synthetic.Data test = Synthetic.data(3, 10, "unseen", RouterTrainerTest::specialist);
        assertThat(RouterTrainer.accuracy(a.predictor(), test.x(), test.s())).isEqualTo(1.0);
        // the tag is the cluster id, consistent within a tag
        QualityPredictor p = a.predictor();
        assertThat(p.predict(test.x()[0]).tag()).startsWith("cluster-").isEqualTo(p.predict(test.x()[9]).tag());
    }

    @Test
    void classifierLearnsTheDominantExpertPerTagWithCalibratedSuccess() {
        // success probabilities per tag (rows) and expert (columns); the dominant expert differs per tag
        double[][] p = {{0.9, 0.3, 0.5}, {0.2, 0.85, 0.4}, {0.3, 0.4, 0.8}};
        Random r = new Random(3);
        Synthetic.Data train = Synthetic.data(3, 200, "", (t, i) -> new double[]{
                r.nextDouble() < p[t][0] ? 1 : 0, r.nextDouble() < p[t][1] ? 1 : 0, r.nextDouble() < p[t][2] ? 1 : 0});
        RouterArtifact a = RouterTrainer.classifier(TagEncoder.ID, EXPERTS, train.x(), train.s(),
                LinearTrainer.Options.DEFAULT.withEpochs(40));
        QualityPredictor predictor = a.predictor();
        for (int t = 0; t < 3; t++) {
            // mean prediction over fresh queries of the tag: calibrated against the true success rates
            double[] q = new double[3];
            for (int i = 0; i < 50; i++) {
                double[] one = predictor.predict(Synthetic.ENCODER.embed("f" + t + " fresh" + i)).quality();
                assertThat(argmax(one)).as("tag %d query %d", t, i).isEqualTo(t);
                for (int j = 0; j < 3; j++) {
                    q[j] += one[j] / 50;
                }
            }
            for (int j = 0; j < 3; j++) {
                assertThat(q[j]).as("tag %d expert %d", t, j).isCloseTo(p[t][j], org.assertj.core.data.Offset.offset(0.15));
            }
        }
    }

    @Test
    void labelEnhancementDampsNoisyRewards() {
        // Tag A ("f0") is really e0's; but 15% of its training queries, which also carry feature f3, have noisy
        // rewards favouring e1. Tag B ("f1") is e1's.
        List<String> experts = List.of("e0", "e1");
        int perTag = 100;
        Synthetic.Data clean = Synthetic.data(2, perTag, "", (t, i) -> t == 0 ? new double[]{1, 0} : new double[]{0, 1});
        float[][] x = new float[2 * perTag][];
        double[][] s = new double[2 * perTag][];
        String[] tags = new String[2 * perTag];
        for (int i = 0; i < 2 * perTag; i++) {
            boolean noisy = i < perTag && i % 20 < 3;
            x[i] = noisy ? Synthetic.ENCODER.embed("f0 f3 q" + i) : clean.x()[i];
            s[i] = noisy ? new double[]{0, 1} : clean.s()[i];
            tags[i] = clean.tags()[i];
        }
        LinearTrainer.Options o = LinearTrainer.Options.DEFAULT.withEpochs(150).withL2(0);
        RouterArtifact plain = RouterTrainer.reward(TagEncoder.ID, experts, x, s, null, 0.1, 0, o);
        RouterArtifact enhanced = RouterTrainer.reward(TagEncoder.ID, experts, x, s, tags, 0.1, 0.7, o);
        float[] probe = Synthetic.ENCODER.embed("f0 f3 new question");
        assertThat(argmax(plain.predictor().predict(probe).quality())).as("without enhancement").isEqualTo(1);
        assertThat(argmax(enhanced.predictor().predict(probe).quality())).as("with enhancement").isEqualTo(0);
        // clean queries of both tags keep their expert
        assertThat(argmax(enhanced.predictor().predict(Synthetic.ENCODER.embed("f0 other")).quality())).isEqualTo(0);
        assertThat(argmax(enhanced.predictor().predict(Synthetic.ENCODER.embed("f1 other")).quality())).isEqualTo(1);
    }

    @Test
    void enhancedTargetsMoveTowardTheTagMean() {
        double[][] s = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
        String[] tags = {"a", "a", "a", "b"};
        double[][] t = RouterTrainer.enhancedTargets(s, tags, 1e-3, 0.5);
        // tag a's mean target is (2/3, 1/3); the third row (0,1) moves halfway there
        assertThat(t[2][0]).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(t[3][1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(t[0][0] + t[0][1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }
}
