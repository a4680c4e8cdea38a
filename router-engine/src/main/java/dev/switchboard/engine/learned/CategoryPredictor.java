package dev.switchboard.engine.learned;

import dev.switchboard.engine.encoder.VectorMath;

import java.util.List;

/**
 * Softmax (multinomial logistic) classifier of the query's category, trained on the data's {@code category} field:
 * the first step of the two-step Composition of Experts. As a quality predictor it answers with each expert's mean
 * training score on the most probable category, so "best predicted quality" is "best expert of the predicted
 * category" and the offline evaluation and costAware use it like any other predictor.
 *
 * @param categories     output order of the model
 * @param categoryScores categories x experts mean training score
 */
public record CategoryPredictor(List<String> categories, LinearModel model, double[][] categoryScores)
        implements QualityPredictor {

    /** Probability of each category (order of {@link #categories()}), summing to 1. */
    public double[] posteriors(float[] embedding) {
        return model.predict(embedding);
    }

    @Override
    public Prediction predict(float[] embedding) {
        int c = VectorMath.argmax(posteriors(embedding));
        return new Prediction(categoryScores[c].clone(), categories.get(c));
    }
}
