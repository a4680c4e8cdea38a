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
        } else {
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
        return switch (kind) {
            case "cluster" -> new ClusterPredictor(centroids, clusterScores);
            case "classifier" -> new LinearPredictor(new LinearModel(LinearModel.Link.SIGMOID, weights, bias));
            case "reward" -> new LinearPredictor(new LinearModel(LinearModel.Link.SOFTMAX, weights, bias));
            default -> throw new IllegalStateException("unknown kind " + kind);
        };
    }
}
