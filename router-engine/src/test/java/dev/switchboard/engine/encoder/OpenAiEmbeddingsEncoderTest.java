package dev.switchboard.engine.encoder;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Against a real HTTP server on 127.0.0.1 speaking the OpenAI embeddings API. */
class OpenAiEmbeddingsEncoderTest {
    private HttpServer server;
    private final AtomicReference<String> lastAuth = new AtomicReference<>();
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String response;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            lastAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            lastBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Test
    void embedsInBatchesInIndexOrderAndNormalises() {
        // out of order on purpose: the encoder must honour "index"
        response = "{\"data\":[{\"index\":1,\"embedding\":[0,2]},{\"index\":0,\"embedding\":[3,4]}]}";
        OpenAiEmbeddingsEncoder encoder = new OpenAiEmbeddingsEncoder(url() + "/", "bge", "sk-test");
        List<float[]> vectors = encoder.embedAll(List.of("first", "second"));
        assertThat(vectors.get(0)[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(vectors.get(1)).containsExactly(0f, 1f);
        assertThat(encoder.dimension()).isEqualTo(2);
        assertThat(encoder.id()).isEqualTo("openai:bge");
        assertThat(lastAuth.get()).isEqualTo("Bearer sk-test");
        assertThat(lastBody.get()).isEqualTo("{\"model\":\"bge\",\"input\":[\"first\",\"second\"]}");
    }

    @Test
    void noKeyNoAuthorizationHeader() {
        response = "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]}]}";
        new OpenAiEmbeddingsEncoder(url(), "bge", null).embed("x");
        assertThat(lastAuth.get()).isNull();
    }

    @Test
    void clearErrors() {
        status = 401;
        response = "{\"error\":\"bad key\"}";
        OpenAiEmbeddingsEncoder encoder = new OpenAiEmbeddingsEncoder(url(), "bge", "k");
        assertThatThrownBy(() -> encoder.embed("x")).isInstanceOf(EncoderException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("bad key");
        status = 200;
        response = "{\"data\":[]}";
        assertThatThrownBy(() -> encoder.embed("x")).hasMessageContaining("0 embeddings for 1 inputs");
        response = "not json";
        assertThatThrownBy(() -> encoder.embed("x")).hasMessageContaining("invalid JSON");
        response = "{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"}]}";
        assertThatThrownBy(() -> encoder.embed("x")).hasMessageContaining("base64");
        assertThatThrownBy(() -> new OpenAiEmbeddingsEncoder("ftp://x", "m", null)).hasMessageContaining("http(s)");
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThatThrownBy(() -> new OpenAiEmbeddingsEncoder("http://127.0.0.1:" + port + "/v1", "m", null).embed("x"))
                .hasMessageContaining("unreachable");
    }
}
