package dev.switchboard.engine.learned;

import dev.switchboard.engine.encoder.VectorMath;

/** Nearest k-means centroid; each expert's predicted quality is its mean training score on that cluster. */
public record ClusterPredictor(float[][] centroids, double[][] clusterScores) implements QualityPredictor {
    @Override
    public Prediction predict(float[] embedding) {
        int c = VectorMath.nearest(centroids, embedding);
        return new Prediction(clusterScores[c].clone(), "cluster-" + c);
    }
}
