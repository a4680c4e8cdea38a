package dev.switchboard.router;

import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SSE responses are relayed chunk by chunk as the expert produces them; a client that leaves cancels upstream. */
@QuarkusTest
class StreamingTest {
    static StandInExpert slow;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void startExperts() {
        slow = new StandInExpert("stream-slow", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        slow.close();
    }

    @BeforeEach
    void setUp() {
        tables.swap(table(policy("stream-policy", "stream-coe", null, expert("stream-slow", slow.baseUrl()))));
    }

    @Test
    void chunksArriveAsTheExpertSendsThem() throws Exception {
        slow.streamChunks(6).chunkDelay(Duration.ofMillis(150));
        Http http = new Http(url.toString());
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.postStream("/v1/chat/completions",
                Http.chat("stream-coe", "stream-slow: tell me something slowly please").put("stream", true));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("stream-slow");
        List<Long> arrivals = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    arrivals.add((System.nanoTime() - start) / 1_000_000);
                    String data = line.substring(6);
                    if (!data.equals("[DONE]")) {
                        text.append(new JsonObject(data).getJsonArray("choices").getJsonObject(0)
                                .getJsonObject("delta").getString("content"));
                    }
                }
            }
        }
        assertThat(arrivals).hasSize(7);
        assertThat(text.toString()).startsWith("[stream-slow]");
        // Not buffered: the first event reaches the client long before the last one is produced (~750 ms later).
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).isGreaterThan(600);
        assertThat(arrivals.get(0)).isLessThan(arrivals.get(arrivals.size() - 1) - 500);
    }

    @Test
    void clientDisconnectCancelsTheUpstreamCall() throws Exception {
        slow.streamChunks(50).chunkDelay(Duration.ofMillis(100));
        long cancelledBefore = slow.cancelled();
        long completedBefore = slow.completed();
        byte[] body = Http.chat("stream-coe", "stream-slow: a long story").put("stream", true).encode()
                .getBytes(StandardCharsets.UTF_8);
        // A raw socket, so "the client went away" is exactly a closed TCP connection.
        try (Socket socket = new Socket("127.0.0.1", url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                // headers and chunk sizes
            }
            assertThat(line).startsWith("data: ");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.cancelled() > cancelledBefore);
        assertThat(slow.completed()).isEqualTo(completedBefore);
    }
}
