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
    public static final List<String> KINDS = List.of("cluster", "classifier", "reward");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, false);

    public String format = FORMAT;
    /** cluster (k-means, mean score per cluster), classifier (per-expert sigmoid) or reward (Zooter softmax). */
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
    public double[] bias;
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
        if (kind.equals("cluster")) {
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
            default -> throw new IllegalStateException("unknown kind " + kind);
        };
    }
}
