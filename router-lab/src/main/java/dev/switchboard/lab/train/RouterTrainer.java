package dev.switchboard.lab.train;

import dev.switchboard.engine.encoder.VectorMath;
import dev.switchboard.engine.learned.CategoryPredictor;
import dev.switchboard.engine.learned.KnnPredictor;
import dev.switchboard.engine.learned.LinearModel;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.QuantisedRows;
import dev.switchboard.engine.learned.RouterArtifact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the predictors on embeddings {@code x} (n x d) and scores {@code s} (n x experts, 0..1):
 * cluster (Srivatsa et al.: k-means, best mean score per cluster), classifier (Srivatsa et al.: one success
 * predictor per expert), reward (Zooter: softmax regression on softmax-normalised rewards with tag-based label
 * enhancement) and category (softmax regression on the rows' category, the two-step CoE's classifier).
 */
public final class RouterTrainer {
    private RouterTrainer() {
    }

    public static RouterArtifact cluster(String encoderId, List<String> experts, float[][] x, double[][] s, int k,
                                         long seed) {
        float[][] centroids = KMeans.fit(x, k, 100, seed);
        int kk = centroids.length;
        int m = experts.size();
        double[][] sums = new double[kk][m];
        int[] sizes = new int[kk];
        double[] overall = new double[m];
        for (int i = 0; i < x.length; i++) {
            int c = VectorMath.nearest(centroids, x[i]);
            sizes[c]++;
            for (int j = 0; j < m; j++) {
                sums[c][j] += s[i][j];
                overall[j] += s[i][j] / x.length;
            }
        }
        for (int c = 0; c < kk; c++) {
            for (int j = 0; j < m; j++) {
                // a tiny prior toward the overall mean keeps near-empty clusters from trusting one query
                sums[c][j] = (sums[c][j] + overall[j]) / (sizes[c] + 1);
            }
        }
        RouterArtifact a = base("cluster", encoderId, experts, x);
        a.centroids = centroids;
        a.clusterScores = sums;
        a.clusterSizes = sizes;
        a.training.put("k", kk);
        a.training.put("seed", seed);
        return a;
    }

    public static RouterArtifact classifier(String encoderId, List<String> experts, float[][] x, double[][] s,
                                            LinearTrainer.Options options) {
        LinearModel model = LinearTrainer.train(LinearModel.Link.SIGMOID, x, s, options);
        RouterArtifact a = base("classifier", encoderId, experts, x);
        a.weights = model.weights();
        a.bias = model.bias();
        put(a, options);
        return a;
    }

    /**
     * kNN success predictor stored as a classifier artifact (model knn). {@code centroids} 0 keeps every training
     * query as a neighbour; N > 0 replaces them by N k-means centroids, each carrying its members' mean scores and
     * weighted by its member count, so the artifact fits a ConfigMap.
     */
    public static RouterArtifact knn(String encoderId, List<String> experts, float[][] x, double[][] s, int k,
                                     double temperature, int centroids, long seed) {
        float[][] points = x;
        double[][] scores = s;
        double[] weights = null;
        if (centroids > 0 && centroids < x.length) {
            RouterArtifact c = cluster(encoderId, experts, x, s, centroids, seed);
            points = c.centroids;
            scores = c.clusterScores;
            weights = new double[c.clusterSizes.length];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = c.clusterSizes[i];
            }
        }
        float[][] unit = new float[points.length][];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = KnnPredictor.normalised(points[i]);
        }
        QuantisedRows.Int8 q = QuantisedRows.encodeInt8(unit);
        RouterArtifact a = base("classifier", encoderId, experts, x);
        a.model = "knn";
        a.knnPoints = q.data();
        a.knnPointScales = q.scales();
        a.knnScores = QuantisedRows.encodeUnit(scores);
        a.knnWeights = weights;
        a.knnK = k;
        a.knnTemperature = temperature;
        a.training.put("model", "knn");
        a.training.put("k", k);
        a.training.put("temperature", temperature);
        a.training.put("centroids", centroids > 0 && centroids < x.length ? points.length : 0);
        a.training.put("seed", seed);
        return a;
    }

    /**
     * @param tags        one tag per row (category or cluster id) or null for no enhancement
     * @param temperature softmax temperature applied to the raw scores
     * @param alpha       0..1, how far each target moves toward its tag's mean target
     */
    public static RouterArtifact reward(String encoderId, List<String> experts, float[][] x, double[][] s,
                                        String[] tags, double temperature, double alpha,
                                        LinearTrainer.Options options) {
        double[][] targets = enhancedTargets(s, tags, temperature, alpha);
        LinearModel model = LinearTrainer.train(LinearModel.Link.SOFTMAX, x, targets, options);
        RouterArtifact a = base("reward", encoderId, experts, x);
        a.weights = model.weights();
        a.bias = model.bias();
        a.training.put("temperature", temperature);
        a.training.put("alpha", alpha);
        put(a, options);
        return a;
    }

    /**
     * Softmax regression from the embedding to the row's category (one-hot targets), stored with int8 weights; plus
     * each expert's mean score per category, which the offline two-step router reads as "best expert of the
     * predicted category". Categories are sorted by name.
     *
     * @param categories one non-blank category per row, at least two distinct
     */
    public static RouterArtifact category(String encoderId, List<String> experts, float[][] x, double[][] s,
                                          String[] categories, LinearTrainer.Options options) {
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == null || categories[i].isBlank()) {
                throw new IllegalArgumentException("training row " + i + " has no category");
            }
        }
        List<String> names = java.util.Arrays.stream(categories).distinct().sorted().toList();
        if (names.size() < 2) {
            throw new IllegalArgumentException("a category classifier needs at least two categories in the data, got "
                    + names);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            index.put(names.get(c), c);
        }
        int m = experts.size();
        double[][] targets = new double[x.length][names.size()];
        double[][] sums = new double[names.size()][m];
        int[] counts = new int[names.size()];
        for (int i = 0; i < x.length; i++) {
            int c = index.get(categories[i]);
            targets[i][c] = 1;
            counts[c]++;
            for (int j = 0; j < m; j++) {
                sums[c][j] += s[i][j];
            }
        }
        for (int c = 0; c < names.size(); c++) {
            for (int j = 0; j < m; j++) {
                sums[c][j] /= counts[c];
            }
        }
        LinearModel model = LinearTrainer.train(LinearModel.Link.SOFTMAX, x, targets, options);
        float[][] w = new float[names.size()][];
        for (int c = 0; c < w.length; c++) {
            w[c] = new float[model.weights()[c].length];
            for (int j = 0; j < w[c].length; j++) {
                w[c][j] = (float) model.weights()[c][j];
            }
        }
        QuantisedRows.Int8 q = QuantisedRows.encodeInt8(w);
        RouterArtifact a = base("category", encoderId, experts, x);
        a.categories = names;
        a.quantisedWeights = q.data();
        a.weightScales = q.scales();
        a.bias = model.bias();
        a.categoryScores = sums;
        put(a, options);
        return a;
    }

    /** Share of the rows with a category whose most probable category is that one (0 when no row has one). */
    public static double categoryAccuracy(CategoryPredictor p, float[][] x, String[] categories) {
        int right = 0;
        int labelled = 0;
        for (int i = 0; i < x.length; i++) {
            if (categories[i] == null) {
                continue;
            }
            labelled++;
            if (p.categories().get(VectorMath.argmax(p.posteriors(x[i]))).equals(categories[i])) {
                right++;
            }
        }
        return labelled == 0 ? 0 : (double) right / labelled;
    }

    /** softmax(s_i / T), each moved by alpha toward the mean of its tag. */
    public static double[][] enhancedTargets(double[][] s, String[] tags, double temperature, double alpha) {
        int n = s.length;
        double[][] t = new double[n][];
        for (int i = 0; i < n; i++) {
            t[i] = LinearModel.softmax(s[i], temperature);
        }
        if (tags == null || alpha <= 0) {
            return t;
        }
        Map<String, double[]> sum = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double[] acc = sum.computeIfAbsent(tags[i], k -> new double[s[0].length]);
            for (int j = 0; j < acc.length; j++) {
                acc[j] += t[i][j];
            }
            count.merge(tags[i], 1, Integer::sum);
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] mean = sum.get(tags[i]);
            int c = count.get(tags[i]);
            out[i] = new double[t[i].length];
            for (int j = 0; j < t[i].length; j++) {
                out[i][j] = (1 - alpha) * t[i][j] + alpha * mean[j] / c;
            }
        }
        return out;
    }

    /** Tags from k-means when the data has no category. */
    public static String[] clusterTags(float[][] x, int k, long seed) {
        float[][] c = KMeans.fit(x, k, 100, seed);
        String[] tags = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            tags[i] = "cluster-" + VectorMath.nearest(c, x[i]);
        }
        return tags;
    }

    /** Mean score of the expert the predictor ranks first, over rows (a quick dev-set accuracy). */
    public static double accuracy(QualityPredictor p, float[][] x, double[][] s) {
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double[] q = p.predict(x[i]).quality();
            int best = 0;
            for (int j = 1; j < q.length; j++) {
                if (q[j] > q[best]) {
                    best = j;
                }
            }
            total += s[i][best];
        }
        return x.length == 0 ? 0 : total / x.length;
    }

    private static RouterArtifact base(String kind, String encoderId, List<String> experts, float[][] x) {
        RouterArtifact a = new RouterArtifact();
        a.kind = kind;
        a.encoder = encoderId;
        a.dimension = x[0].length;
        a.experts = new ArrayList<>(experts);
        a.training.put("rows", x.length);
        return a;
    }

    private static void put(RouterArtifact a, LinearTrainer.Options o) {
        a.training.put("epochs", o.epochs());
        a.training.put("learningRate", o.learningRate());
        a.training.put("l2", o.l2());
        a.training.put("batchSize", o.batchSize());
        a.training.put("seed", o.seed());
    }
}
