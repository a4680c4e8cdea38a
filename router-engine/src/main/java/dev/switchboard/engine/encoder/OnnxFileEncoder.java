package dev.switchboard.engine.encoder;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.switchboard.engine.Encoder;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A BERT-style sentence encoder from an ONNX model file plus its HuggingFace tokenizer.json, so other models
 * than the bundled MiniLM can be shipped (e.g. mounted from a volume). The id combines the model file's name
 * with a hash of both files' names and sizes, so an artifact trained with one model is refused by another.
 */
public final class OnnxFileEncoder implements Encoder {
    private final String id;
    private final int dimension;
    private final OnnxSessionModel model;

    private OnnxFileEncoder(String id, OnnxSessionModel model, int dimension) {
        this.id = id;
        this.model = model;
        this.dimension = dimension;
    }

    /**
     * Loads the model. {@code modelLocation} and {@code tokenizerLocation} are file paths or file: URIs;
     * {@code pooling} is "mean" (sentence-transformers default) or "cls".
     */
    public static OnnxFileEncoder load(String modelLocation, String tokenizerLocation, String pooling) {
        Path modelPath = resolve("model", modelLocation);
        Path tokenizerPath = resolve("tokenizer", tokenizerLocation);
        PoolingMode mode = poolingMode(pooling);
        String id = idFor(modelPath, tokenizerPath, mode);
        OnnxSessionModel model;
        try {
            model = new OnnxSessionModel(Files.readAllBytes(modelPath), Files.readAllBytes(tokenizerPath), mode,
                    Encoders.configuredThreads());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load ONNX encoder from model " + modelPath + " and tokenizer "
                    + tokenizerPath + ": " + e.getMessage(), e);
        }
        int dimension;
        try {
            dimension = model.embed("dimension probe").content().dimension();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ONNX model " + modelPath + " does not produce sentence embeddings: "
                    + e.getMessage(), e);
        }
        return new OnnxFileEncoder(id, model, dimension);
    }

    static PoolingMode poolingMode(String pooling) {
        String p = pooling == null ? "mean" : pooling.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "mean" -> PoolingMode.MEAN;
            case "cls" -> PoolingMode.CLS;
            default -> throw new IllegalArgumentException("pooling must be mean or cls, got '" + pooling + "'");
        };
    }

    static Path resolve(String what, String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("ONNX encoder " + what + " location is empty");
        }
        Path path;
        if (location.contains(":/") && !location.matches("^[A-Za-z]:[/\\\\].*")) {
            URI uri = URI.create(location);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("ONNX encoder " + what + " location " + location
                        + ": only file paths and file: URIs are supported (mount the model into the pod)");
            }
            path = Path.of(uri);
        } else {
            path = Path.of(location);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("ONNX encoder " + what + " file not found: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("ONNX encoder " + what + " file not readable: " + path);
        }
        return path;
    }

    /** "onnx:" + model file name without extension + ":" + 12 hex of sha-256(names, sizes, pooling). */
    static String idFor(Path model, Path tokenizer, PoolingMode pooling) {
        try {
            String fingerprint = model.getFileName() + "|" + Files.size(model) + "|" + tokenizer.getFileName() + "|"
                    + Files.size(tokenizer) + "|" + pooling;
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
            String base = model.getFileName().toString().replaceFirst("\\.onnx$", "");
            return "onnx:" + base + ":" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ONNX encoder files: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot embed null text");
        }
        if (text.isBlank()) {
            return new float[dimension];
        }
        return VectorMath.normaliseInPlace(model.embed(TextClipper.clip(text, TextClipper.DEFAULT_MAX_CHARS)).content().vector());
    }
}
