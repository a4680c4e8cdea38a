package dev.switchboard.engine.learned;

/** Logistic (per-expert success probability) or softmax (Zooter routing distribution) predictor. */
public record LinearPredictor(LinearModel model) implements QualityPredictor {
    @Override
    public Prediction predict(float[] embedding) {
        return new Prediction(model.predict(embedding), null);
    }
}
