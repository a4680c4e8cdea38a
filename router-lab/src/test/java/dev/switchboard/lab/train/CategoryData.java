package dev.switchboard.lab.train;

import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.learned.RouterArtifact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic rows of known category for the category classifier tests: each category has its own vocabulary, so with
 * the hashing encoder the categories are linearly separable. Experts: "mathy" answers math, "poet" poetry, and
 * "general" half of everything.
 */
public final class CategoryData {
    public static final List<String> EXPERTS = List.of("mathy", "poet", "general");
    static final Map<String, String[]> WORDS = Map.of(
            "math", new String[]{"solve", "equation", "integral", "algebra", "derivative", "matrix"},
            "poetry", new String[]{"poem", "verse", "rhyme", "sonnet", "stanza", "metaphor"},
            "history", new String[]{"empire", "dynasty", "treaty", "revolution", "medieval", "pharaoh"});

    /** n rows per category: texts, categories and expert scores, in category order math, poetry, history. */
    public record Rows(List<String> texts, String[] categories, double[][] scores) {
        public float[][] embed(Encoder encoder) {
            return texts.stream().map(encoder::embed).toArray(float[][]::new);
        }
    }

    private CategoryData() {
    }

    public static Rows rows(int perCategory, long seed) {
        Random r = new Random(seed);
        List<String> texts = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (String category : List.of("math", "poetry", "history")) {
            String[] w = WORDS.get(category);
            for (int i = 0; i < perCategory; i++) {
                texts.add(w[r.nextInt(w.length)] + " " + w[r.nextInt(w.length)] + " " + w[r.nextInt(w.length)]
                        + " item" + seed + "x" + i);
                categories.add(category);
                scores.add(new double[]{category.equals("math") ? 1 : 0, category.equals("poetry") ? 1 : 0,
                        i % 2});
            }
        }
        return new Rows(texts, categories.toArray(String[]::new), scores.toArray(double[][]::new));
    }

    /** A category artifact trained on {@code rows} with the categories as given (tests may relabel them). */
    public static RouterArtifact artifact(Encoder encoder, Rows rows) {
        return RouterTrainer.category(encoder.id(), EXPERTS, rows.embed(encoder), rows.scores(), rows.categories(),
                LinearTrainer.Options.DEFAULT.withL2(1e-4));
    }
}
