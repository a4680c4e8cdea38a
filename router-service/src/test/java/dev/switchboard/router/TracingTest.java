package dev.switchboard.router;

import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.OtlpReceiver.ReceivedSpan;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static dev.switchboard.router.support.TestTables.embedder;
import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.tableWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces as an OTLP collector receives them: one SERVER span per client request carrying the routing decision and
 * the GenAI attributes, continuing the client's trace; one CLIENT span per upstream attempt, whose context the
 * expert receives as traceparent.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
class TracingTest {
    static StandInExpert math;
    static StandInExpert general;
    static StandInExpert embed;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void startExperts() {
        math = new StandInExpert("tr-math", "127.0.0.1", 0).start();
        general = new StandInExpert("tr-general", "127.0.0.1", 0).start();
        embed = new StandInExpert("tr-embed", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        math.close();
        general.close();
        embed.close();
    }

    @BeforeEach
    void setUp() {
        http = new Http(url.toString());
        tables.swap(tableWith(List.of(embedder("tr-embed", embed.baseUrl())), policy("tr-policy", "tr-coe",
                "tr-general", expert("tr-math", math.baseUrl()), expert("tr-general", general.baseUrl()))));
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static List<ReceivedSpan> trace(String traceId, int atLeast) {
        await().atMost(Duration.ofSeconds(10)).until(() -> TracingProfile.RECEIVER.spans().stream()
                .filter(s -> s.traceId().equals(traceId)).count() >= atLeast);
        return TracingProfile.RECEIVER.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Test
    void aRoutedRequestIsOneServerSpanWithTheDecisionAndOneClientSpanPerAttemptPropagatedToTheExpert() {
        String traceId = randomHex(16);
        String clientSpan = randomHex(8);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("tr-coe", "tr-math: 2+2?"),
                "traceparent", "00-" + traceId + "-" + clientSpan + "-01");
        assertThat(r.statusCode()).isEqualTo(200);

        List<ReceivedSpan> spans = trace(traceId, 2);
        ReceivedSpan request = spans.stream().filter(s -> s.kind() == 2).findFirst().orElseThrow();
        assertThat(request.parentSpanId()).isEqualTo(clientSpan);
        assertThat(request.name()).isEqualTo("chat tr-coe");
        assertThat(request.attr("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(request.attr("gen_ai.request.model")).isEqualTo("tr-coe");
        assertThat(request.attr("gen_ai.response.model")).isEqualTo("tr-math-upstream");
        assertThat(request.attr("gen_ai.usage.input_tokens")).isEqualTo(10L);
        assertThat(request.attr("gen_ai.usage.output_tokens")).isEqualTo(10L);
        assertThat(request.attr("switchboard.policy")).isEqualTo("tr-policy");
        assertThat(request.attr("switchboard.strategy")).isEqualTo("name-match");
        assertThat(request.attr("switchboard.decision.expert")).isEqualTo("tr-math");
        assertThat(request.attr("switchboard.expert")).isEqualTo("tr-math");
        assertThat(request.attr("switchboard.category")).isEqualTo("tr-math");
        assertThat((Double) request.attr("switchboard.confidence")).isEqualTo(0.9);
        assertThat(request.attr("switchboard.outcome")).isEqualTo("success");
        assertThat(request.attr("switchboard.tenant")).isEqualTo("anonymous");
        assertThat(request.attr("http.response.status_code")).isEqualTo(200L);

        ReceivedSpan attempt = spans.stream().filter(s -> s.kind() == 3).findFirst().orElseThrow();
        assertThat(attempt.parentSpanId()).isEqualTo(request.spanId());
        assertThat(attempt.name()).isEqualTo("chat tr-math-upstream");
        assertThat(attempt.attr("gen_ai.request.model")).isEqualTo("tr-math-upstream");
        assertThat(attempt.attr("server.address")).isEqualTo("127.0.0.1");
        assertThat(attempt.attr("server.port")).isEqualTo((long) math.port());
        assertThat(attempt.attr("switchboard.expert")).isEqualTo("tr-math");
        assertThat(attempt.attr("http.response.status_code")).isEqualTo(200L);
        // the expert can continue the trace under the attempt's span
        assertThat(math.lastTraceparent()).isEqualTo("00-" + traceId + "-" + attempt.spanId() + "-01");
    }

    @Test
    void failoverShowsEachAttemptAndTheFallbackReason() {
        math.failNext(1, StandInExpert.Failure.HTTP_500);
        String traceId = randomHex(16);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("tr-coe", "tr-math: fail once"),
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("tr-general");

        List<ReceivedSpan> spans = trace(traceId, 3);
        List<ReceivedSpan> attempts = spans.stream().filter(s -> s.kind() == 3)
                .sorted(java.util.Comparator.comparing(s -> (Long) s.attr("switchboard.attempt"))).toList();
        assertThat(attempts).extracting(s -> s.attr("switchboard.expert")).containsExactly("tr-math", "tr-general");
        assertThat(attempts.get(0).attr("error.type")).isEqualTo("5xx");
        assertThat(attempts.get(0).statusCode()).isEqualTo(2); // STATUS_CODE_ERROR
        assertThat(attempts.get(1).attr("error.type")).isNull();
        ReceivedSpan request = spans.stream().filter(s -> s.kind() == 2).findFirst().orElseThrow();
        assertThat(request.attr("switchboard.expert")).isEqualTo("tr-general");
        assertThat((String) request.attr("switchboard.fallback_reason")).startsWith("failover: tr-math: 5xx");
    }

    @Test
    void embeddingsAndRefusalsAreTracedToo() {
        String traceId = randomHex(16);
        HttpResponse<String> r = http.post("/v1/embeddings", new JsonObject().put("model", "tr-embed-served")
                .put("input", "a b c"), "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertThat(r.statusCode()).isEqualTo(200);
        ReceivedSpan request = trace(traceId, 2).stream().filter(s -> s.kind() == 2).findFirst().orElseThrow();
        assertThat(request.name()).isEqualTo("embeddings tr-embed-served");
        assertThat(request.attr("gen_ai.operation.name")).isEqualTo("embeddings");
        assertThat(request.attr("gen_ai.usage.input_tokens")).isEqualTo(3L);
        assertThat(embed.lastTraceparent()).contains(traceId);

        String refused = randomHex(16);
        HttpResponse<String> bad = http.post("/v1/embeddings", new JsonObject().put("model", "tr-coe")
                .put("input", "x"), "traceparent", "00-" + refused + "-" + randomHex(8) + "-01");
        assertThat(bad.statusCode()).isEqualTo(400);
        ReceivedSpan refusal = trace(refused, 1).get(0);
        assertThat(refusal.attr("error.type")).isEqualTo("model_not_supported");
        assertThat(refusal.attr("http.response.status_code")).isEqualTo(400L);
    }
}
