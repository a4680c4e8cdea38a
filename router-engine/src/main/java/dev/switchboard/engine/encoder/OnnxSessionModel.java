package dev.switchboard.engine.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.ByteArrayInputStream;

/**
 * A langchain4j in-process BERT encoder whose ONNX Runtime session we configure ourselves, so the number of
 * intra-op threads per embedding can be set (langchain4j's own classes always use every core, which
 * oversubscribes the CPU when many requests embed at once).
 */
final class OnnxSessionModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder model;

    /**
     * @param intraOpThreads threads one embedding may use; 0 leaves ONNX Runtime's default (all cores)
     */
    OnnxSessionModel(byte[] onnxModel, byte[] tokenizerJson, PoolingMode pooling, int intraOpThreads) {
        // Batches from embedAll run on the caller's thread: the router already parallelises across requests.
        super(Runnable::run);
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            OrtSession session = env.createSession(onnxModel, options);
            this.model = new OnnxBertBiEncoder(env, session, new ByteArrayInputStream(tokenizerJson), pooling);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return model;
    }
}
