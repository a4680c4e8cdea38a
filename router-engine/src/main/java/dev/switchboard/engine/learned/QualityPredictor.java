package dev.switchboard.engine.learned;

/** Predicts, from a query embedding, how well each expert (artifact order) will answer. */
public interface QualityPredictor {
    /** @param quality one value per expert, higher is better; @param tag cluster id or null */
    record Prediction(double[] quality, String tag) {
    }

    Prediction predict(float[] embedding);
}
