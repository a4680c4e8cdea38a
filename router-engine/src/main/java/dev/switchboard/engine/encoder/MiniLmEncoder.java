package dev.switchboard.engine.encoder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.switchboard.engine.Encoder;

/**
 * all-MiniLM-L6-v2 (quantised), run in-process with ONNX Runtime: 384 dimensions, unit length.
 * Loading takes a second and ~100 MB, so use {@link Encoders#miniLm()} for the per-JVM instance.
 */
public final class MiniLmEncoder implements Encoder {
    public static final String ID = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    MiniLmEncoder() {
        // Runs embedAll batches on the caller's thread: the router already parallelises across requests.
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot embed null text");
        }
        if (text.isBlank()) {
            // Nothing to compare: similar to nothing, so strategies see low confidence and fall back.
            return new float[DIMENSION];
        }
        // ONNX Runtime sessions are thread-safe; the vector is ours to normalise.
        return VectorMath.normaliseInPlace(model.embed(text).content().vector());
    }
}
