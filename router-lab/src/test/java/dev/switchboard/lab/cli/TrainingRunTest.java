package dev.switchboard.lab.cli;

import dev.switchboard.engine.learned.RouterArtifact;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Second training texts (--prompt both): what trainers fit and what the hold-out scores. */
class TrainingRunTest {
    private static final List<String> EXPERTS = List.of("a", "b");

    @Test
    void fittingRowsAreEachRowFollowedByItsAlternate() {
        float[] x0 = {1, 0};
        float[] x1 = {0, 1};
        float[] alt0 = {0.5f, 0.5f};
        double[][] s = {{1, 0}, {0, 1}};
        TrainingRun.Matrices m = new TrainingRun.Matrices(new float[][]{x0, x1}, s, new String[]{"math", "law"},
                new float[][]{alt0, null});
        TrainingRun.Matrices fit = m.forFitting();
        assertThat(fit.x()).isEqualTo(new float[][]{x0, alt0, x1});
        assertThat(fit.s()).isEqualTo(new double[][]{s[0], s[0], s[1]});
        assertThat(fit.categories()).containsExactly("math", "math", "law");
        assertThat(fit.alternates()).isNull();
        // without second texts nothing is copied
        TrainingRun.Matrices plain = new TrainingRun.Matrices(new float[][]{x0, x1}, s, new String[]{"math", "law"});
        assertThat(plain.forFitting()).isSameAs(plain);
        // a subset keeps each row's alternate with it
        TrainingRun.Matrices sub = m.subset(new int[]{1, 0});
        assertThat(sub.alternates()).isEqualTo(new float[][]{null, alt0});
        assertThat(sub.forFitting().x()).isEqualTo(new float[][]{x1, x0, alt0});
    }

    @Test
    void theHoldOutSplitKeepsBothTextsOfAQuestionOnOneSide() {
        // every question's second text has exactly its own embedding, and which expert is right is a coin flip: a
        // 1-nearest-neighbour router reads the answer off a check question's second text if that text was fitted,
        // and is at chance otherwise
        int n = 200;
        Random r = new Random(3);
        float[][] x = new float[n][8];
        double[][] s = new double[n][];
        String[] categories = new String[n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 8; d++) {
                x[i][d] = (float) r.nextGaussian();
            }
            boolean a = r.nextBoolean();
            s[i] = new double[]{a ? 1 : 0, a ? 0 : 1};
            categories[i] = a ? "x" : "y";
        }
        TrainingRun.Matrices train = new TrainingRun.Matrices(x, s, categories, x.clone());
        Args args = new Args(new String[]{"--knn-k", "1", "--knn-temperature", "0.01"}, 0,
                Set.of("knn-k", "knn-temperature"), Set.of());
        RouterArtifact a = new TrainingRun("test", EXPERTS, args, new PrintStream(new ByteArrayOutputStream()), null)
                .train("knn", train, null);
        assertThat((Double) a.training.get("devAccuracy")).isBetween(0.3, 0.7);
        assertThat(a.training.get("devRows")).isEqualTo(40);
        // the final refit uses both texts of every question
        assertThat(a.training.get("rows")).isEqualTo(2 * n);
        assertThat(a.training.get("questions")).isEqualTo(n);
    }
}
