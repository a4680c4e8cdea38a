package dev.switchboard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stand-in expert itself: answers naming itself, streams, injects failures, notices cancelled clients. */
class StandInExpertTest {
    static StandInExpert expert;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        expert = new StandInExpert("math", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        expert.close();
    }

    static String chat(boolean stream) {
        return new JsonObject().put("model", "m").put("stream", stream).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "what is 1+1"))).encode();
    }

    HttpResponse<String> post(String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(expert.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersNamingItself() throws Exception {
        HttpResponse<String> r = post(chat(false));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("[math] You asked: what is 1+1");
    }

    @Test
    void streamsChunksAndDone() throws Exception {
        expert.streamChunks(3);
        HttpResponse<String> r = post(chat(true));
        assertThat(r.body().split("data: ")).hasSize(5);
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void injectsFailures() throws Exception {
        expert.failNext(1, StandInExpert.Failure.HTTP_500);
        assertThat(post(chat(false)).statusCode()).isEqualTo(500);
        assertThat(post(chat(false)).statusCode()).isEqualTo(200);
    }

    @Test
    void countsClientsThatLeaveMidStream() throws Exception {
        expert.streamChunks(50).chunkDelay(Duration.ofMillis(50));
        long before = expert.cancelled();
        byte[] body = chat(true).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", expert.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                // skip headers
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> expert.cancelled() > before);
        expert.chunkDelay(Duration.ZERO).streamChunks(5);
    }
}
