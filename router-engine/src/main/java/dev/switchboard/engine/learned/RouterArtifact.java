package dev.switchboard.engine.learned;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained router as stored in a ConfigMap: what kind of predictor, which encoder produced the embeddings it was
 * trained on, the experts (in the order of every per-expert array) and the parameters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RouterArtifact {
    public static final String FORMAT = "switchboard.dev/router-artifact/v1";
    public static final List<String> KINDS = List.of("cluster", "classifier", "reward", "category");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, false);

    public String format = FORMAT;
    /**
     * cluster (k-means, mean score per cluster), classifier (per-expert sigmoid), reward (Zooter softmax) or category
     * (softmax classifier of the data's category, for the two-step category strategy).
     */
    public String kind;
    public String encoder;
    public int dimension;
    public List<String> experts;
    /** cluster: k x dimension. */
    public float[][] centroids;
    /** cluster: k x experts mean training score of each expert on each cluster. */
    public double[][] clusterScores;
    public int[] clusterSizes;
    /** classifier: "logistic" (default when absent) or "knn" (similarity-weighted neighbour scores). */
    public String model;
    /** classifier knn: stored points (training queries or centroids) as int8, base64, rows x dimension. */
    public String knnPoints;
    /** classifier knn: one dequantisation scale per point. */
    public float[] knnPointScales;
    /** classifier knn: each point's expert scores (0..1) as unsigned bytes /255, base64, rows x experts. */
    public String knnScores;
    /** classifier knn: weight of each point (member count of a centroid), absent = 1 each. */
    public double[] knnWeights;
    public Integer knnK;
    public Double knnTemperature;
    /** classifier / reward: experts x dimension. */
    public double[][] weights;
    /** classifier / reward: one per expert; category: one per category. */
    public double[] bias;
    /** category: the classes, in the order of bias, the weight rows and categoryScores. */
    public List<String> categories;
    /** category: weights as int8, base64, categories x dimension (value = byte * scale of its row). */
    public String quantisedWeights;
    /** category: one dequantisation scale per weight row. */
    public float[] weightScales;
    /** category: categories x experts mean training score, so the offline two-step router picks each category's best. */
    public double[][] categoryScores;
    /** Mean cost per query of each expert in the training data (USD or relative), when known. */
    public Map<String, Double> costs;
    /** How it was trained: data, rows, hyper-parameters, dev accuracy. */
    public Map<String, Object> training = new LinkedHashMap<>();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses and checks an artifact; {@code where} names its origin (e.g. "spec.strategy.learned: artifact
     * cm/router.json") and prefixes every error.
     */
    public static RouterArtifact parse(String json, String where) {
        RouterArtifact a;
        try {
            a = JSON.readValue(json, RouterArtifact.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not a valid router artifact: "
                    + e.getOriginalMessage());
        }
        if (a == null) {
            throw new IllegalArgumentException(where + " is empty");
        }
        a.validate(where);
        return a;
    }

    void validate(String where) {
        require(FORMAT.equals(format), where, "format must be " + FORMAT + " (got " + format + ")");
        require(kind != null && KINDS.contains(kind), where, "kind must be one of " + KINDS + " (got " + kind + ")");
        require(encoder != null && !encoder.isBlank(), where, "encoder is missing");
        require(dimension > 0, where, "dimension must be positive");
        require(experts != null && !experts.isEmpty(), where, "experts is missing or empty");
        int m = experts.size();
        if (kind.equals("category")) {
            validateCategory(where, m);
        } else if (kind.equals("cluster")) {
            require(centroids != null && centroids.length > 0, where, "centroids is missing");
            require(clusterScores != null && clusterScores.length == centroids.length, where,
                    "clusterScores needs one row per centroid");
            for (int c = 0; c < centroids.length; c++) {
                require(centroids[c] != null && centroids[c].length == dimension, where,
                        "centroids[" + c + "] must have " + dimension + " values");
                require(clusterScores[c] != null && clusterScores[c].length == m, where,
                        "clusterScores[" + c + "] must have one value per expert (" + m + ")");
            }
        } else if ("knn".equals(model)) {
            require(kind.equals("classifier"), where, "model knn is only valid for kind classifier");
            require(knnK != null && knnK >= 1, where, "knnK must be at least 1");
            require(knnTemperature != null && knnTemperature > 0, where, "knnTemperature must be positive");
            require(knnPoints != null && knnPointScales != null && knnPointScales.length > 0, where,
                    "knnPoints and knnPointScales are required for model knn");
            require(knnScores != null, where, "knnScores is required for model knn");
            int n = knnPointScales.length;
            require(knnWeights == null || knnWeights.length == n, where,
                    "knnWeights needs one value per point (" + n + ")");
            float[][] points;
            double[][] scores;
            try {
                points = QuantisedRows.decodeInt8(knnPoints, knnPointScales, dimension);
                scores = QuantisedRows.decodeUnit(knnScores, n, m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": knnPoints/knnScores are not valid base64");
            }
            require(points != null, where, "knnPoints must hold " + n + " x " + dimension + " bytes");
            require(scores != null, where, "knnScores must hold " + n + " x " + m + " bytes");
        } else {
            require(model == null || model.equals("logistic"), where,
                    "model must be logistic or knn (got " + model + ")");
            require(weights != null && weights.length == m, where, "weights needs one row per expert (" + m + ")");
            require(bias != null && bias.length == m, where, "bias needs one value per expert (" + m + ")");
            for (int k = 0; k < m; k++) {
                require(weights[k] != null && weights[k].length == dimension, where,
                        "weights[" + k + "] must have " + dimension + " values");
            }
        }
    }

    private void validateCategory(String where, int m) {
        require(model == null, where, "model is not used by kind category (got " + model + ")");
        require(categories != null && categories.size() >= 2, where, "categories needs at least two names");
        require(categories.stream().noneMatch(c -> c == null || c.isBlank()), where, "categories has a blank name");
        require(new java.util.HashSet<>(categories).size() == categories.size(), where, "categories has duplicates");
        int k = categories.size();
        require(bias != null && bias.length == k, where, "bias needs one value per category (" + k + ")");
        require(quantisedWeights != null && weightScales != null && weightScales.length == k, where,
                "quantisedWeights and weightScales (one per category) are required for kind category");
        float[][] w;
        try {
            w = QuantisedRows.decodeInt8(quantisedWeights, weightScales, dimension);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": quantisedWeights is not valid base64");
        }
        require(w != null, where, "quantisedWeights must hold " + k + " x " + dimension + " bytes");
        require(categoryScores != null && categoryScores.length == k, where,
                "categoryScores needs one row per category (" + k + ")");
        for (int c = 0; c < k; c++) {
            require(categoryScores[c] != null && categoryScores[c].length == m, where,
                    "categoryScores[" + c + "] must have one value per expert (" + m + ")");
        }
    }

    private static void require(boolean ok, String where, String what) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + what);
        }
    }

    /** The per-expert quality predictor this artifact describes. */
    public QualityPredictor predictor() {
        if (predictor == null) {
            predictor = buildPredictor();
        }
        return predictor;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    private transient QualityPredictor predictor;

    /** The category classifier of a {@code category} artifact. */
    public CategoryPredictor categoryPredictor() {
        if (!"category".equals(kind)) {
            throw new IllegalStateException("a " + kind + " artifact has no category classifier");
        }
        return (CategoryPredictor) predictor();
    }

    private QualityPredictor buildPredictor() {
        if ("knn".equals(model)) {
            float[][] points = QuantisedRows.decodeInt8(knnPoints, knnPointScales, dimension);
            double[][] scores = QuantisedRows.decodeUnit(knnScores, knnPointScales.length, experts.size());
            return new KnnPredictor(points, scores, knnWeights, knnK, knnTemperature);
        }
        return switch (kind) {
            case "cluster" -> new ClusterPredictor(centroids, clusterScores);
            case "classifier" -> new LinearPredictor(new LinearModel(LinearModel.Link.SIGMOID, weights, bias));
            case "reward" -> new LinearPredictor(new LinearModel(LinearModel.Link.SOFTMAX, weights, bias));
            case "category" -> new CategoryPredictor(List.copyOf(categories), new LinearModel(LinearModel.Link.SOFTMAX,
                    toDouble(QuantisedRows.decodeInt8(quantisedWeights, weightScales, dimension)), bias),
                    categoryScores);
            default -> throw new IllegalStateException("unknown kind " + kind);
        };
    }

    private static double[][] toDouble(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = rows[i][j];
            }
        }
        return out;
    }
}
