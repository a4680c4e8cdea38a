package dev.switchboard.lab.train;

import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.learned.CategoryPredictor;
import dev.switchboard.engine.learned.LinearModel;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The two-step CoE's trained category classifier: training, the artifact, and the two-step choice. */
class CategoryClassifierTest {
    private static final HashingEncoder ENCODER = new HashingEncoder();

    @Test
    void learnsSeparableCategoriesAndPicksEachCategorysBestExpert() {
        CategoryData.Rows train = CategoryData.rows(40, 1);
        RouterArtifact a = CategoryData.artifact(ENCODER, train);
        assertThat(a.kind).isEqualTo("category");
        assertThat(a.categories).containsExactly("history", "math", "poetry");
        assertThat(a.training).containsEntry("rows", 120).containsEntry("l2", 1e-4);
        // mean training score of each expert (mathy, poet, general) per category
        assertThat(a.categoryScores[1]).containsExactly(1, 0, 0.5);
        assertThat(a.categoryScores[0]).containsExactly(0, 0, 0.5);

        CategoryData.Rows test = CategoryData.rows(20, 2);
        float[][] x = test.embed(ENCODER);
        CategoryPredictor p = a.categoryPredictor();
        assertThat(RouterTrainer.categoryAccuracy(p, x, test.categories())).isEqualTo(1.0);
        for (int i = 0; i < x.length; i++) {
            double[] posteriors = p.posteriors(x[i]);
            assertThat(java.util.Arrays.stream(posteriors).sum()).isCloseTo(1, within(1e-9));
            QualityPredictor.Prediction prediction = p.predict(x[i]);
            assertThat(prediction.tag()).isEqualTo(test.categories()[i]);
            assertThat(prediction.quality()).isEqualTo(a.categoryScores[a.categories.indexOf(test.categories()[i])]);
        }
        // two-step routing: math -> mathy, poetry -> poet, history -> general (0.5 on average)
        assertThat(RouterTrainer.accuracy(a.predictor(), x, test.scores())).isCloseTo((20 + 20 + 10) / 60.0,
                within(1e-9));
    }

    @Test
    void artifactIsSmallAndRoundTripsWithTheSamePosteriors() {
        RouterArtifact a = CategoryData.artifact(ENCODER, CategoryData.rows(40, 1));
        String json = a.toJson();
        // int8 weights: 3 x 512 bytes as base64, far below 3 x 512 doubles as JSON text
        assertThat(json.length()).isLessThan(6_000);
        assertThat(json).doesNotContain("\"weights\"");
        RouterArtifact b = RouterArtifact.parse(json, "test");
        float[] q = ENCODER.embed("solve the integral");
        assertThat(b.categoryPredictor().posteriors(q)).containsExactly(a.categoryPredictor().posteriors(q));
        assertThat(b.categories).isEqualTo(a.categories);
    }

    @Test
    void quantisedWeightsKeepThePosteriorsOfTheFloatModel() {
        CategoryData.Rows train = CategoryData.rows(40, 1);
        float[][] x = train.embed(ENCODER);
        double[][] onehot = new double[x.length][3];
        java.util.List<String> names = java.util.List.of("history", "math", "poetry");
        for (int i = 0; i < x.length; i++) {
            onehot[i][names.indexOf(train.categories()[i])] = 1;
        }
        LinearTrainer.Options o = LinearTrainer.Options.DEFAULT.withL2(1e-4);
        LinearModel exact = LinearTrainer.train(LinearModel.Link.SOFTMAX, x, onehot, o);
        CategoryPredictor stored = CategoryData.artifact(ENCODER, train).categoryPredictor();
        for (float[] q : CategoryData.rows(10, 3).embed(ENCODER)) {
            double[] want = exact.predict(q);
            double[] got = stored.posteriors(q);
            for (int c = 0; c < 3; c++) {
                assertThat(got[c]).isCloseTo(want[c], within(0.01));
            }
        }
    }

    @Test
    void refusesRowsWithoutCategoryAndIllFormedArtifacts() {
        CategoryData.Rows rows = CategoryData.rows(5, 1);
        float[][] x = rows.embed(ENCODER);
        String[] missing = rows.categories().clone();
        missing[7] = null;
        assertThatThrownBy(() -> RouterTrainer.category(ENCODER.id(), CategoryData.EXPERTS, x, rows.scores(), missing,
                LinearTrainer.Options.DEFAULT)).hasMessage("training row 7 has no category");
        String[] one = new String[x.length];
        java.util.Arrays.fill(one, "math");
        assertThatThrownBy(() -> RouterTrainer.category(ENCODER.id(), CategoryData.EXPERTS, x, rows.scores(), one,
                LinearTrainer.Options.DEFAULT)).hasMessageContaining("at least two categories");

        String json = CategoryData.artifact(ENCODER, rows).toJson();
        assertThatThrownBy(() -> RouterArtifact.parse(json.replace("\"history\",", ""), "cm/router.json"))
                .hasMessageContaining("cm/router.json: bias needs one value per category (2)");
        RouterArtifact shortRows = RouterArtifact.parse(json, "t");
        shortRows.weightScales = java.util.Arrays.copyOf(shortRows.weightScales, 3);
        shortRows.quantisedWeights = java.util.Base64.getEncoder().encodeToString(new byte[10]);
        assertThatThrownBy(() -> RouterArtifact.parse(shortRows.toJson(), "cm/router.json"))
                .hasMessageContaining("quantisedWeights must hold 3 x 512 bytes");
        RouterArtifact narrow = RouterArtifact.parse(json, "t");
        narrow.categoryScores[2] = new double[]{1};
        assertThatThrownBy(() -> RouterArtifact.parse(narrow.toJson(), "cm/router.json"))
                .hasMessageContaining("categoryScores[2] must have one value per expert (3)");
    }
}
