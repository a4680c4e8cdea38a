package dev.switchboard.router;

import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.ScriptedStrategy;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import java.util.Set;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static dev.switchboard.router.support.TestTables.withStrategy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a request can end counts it out of switchboard_requests_in_flight exactly once and, once it has a
 * decision, counts that decision with its outcome: answers, relayed errors, 503s, dry runs, direct answers,
 * rejections, exceptions in the request path, answers that break, and clients that leave (mid-answer or while
 * their strategy is still deciding).
 */
@QuarkusTest
class RequestAccountingTest {
    static StandInExpert expertA;
    static StandInExpert expertB;

    @Inject
    RoutingTableHolder tables;

    @Inject
    RouterMetrics metrics;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void startExperts() {
        expertA = new StandInExpert("acct-a", "127.0.0.1", 0).start();
        expertB = new StandInExpert("acct-b", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        expertA.close();
        expertB.close();
    }

    @BeforeEach
    void setUp() {
        http = new Http(url.toString());
        PolicyRoute worker = withStrategy(policy("acct-worker", "acct-worker", "acct-b",
                expert("acct-a", expertA.baseUrl()), expert("acct-b", expertB.baseUrl()),
                expert("acct-none")), new ScriptedStrategy("scripted"));
        PolicyRoute eventLoop = withStrategy(policy("acct-loop", "acct-loop", "acct-b",
                expert("acct-a", expertA.baseUrl()), expert("acct-b", expertB.baseUrl())),
                new ScriptedStrategy("static"));
        PolicyRoute relaysErrors = withStrategy(policy("acct-relay", "acct-relay", null,
                new PolicyRoute.FailoverPolicy(3, Set.of(UpstreamFailure.CONNECT_ERROR), 100, Duration.ofSeconds(1)),
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(400)),
                expert("acct-a", expertA.baseUrl())), new ScriptedStrategy("scripted"));
        tables.swap(table(worker, eventLoop, relaysErrors));
    }

    @AfterEach
    void reset() {
        expertA.failNext(0, StandInExpert.Failure.HTTP_500).streamChunks(1).chunkDelay(Duration.ZERO);
        awaitNothingInFlight();
    }

    private void awaitNothingInFlight() {
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.requestsInFlight().count() == 0);
    }

    private double decisions(String policy, String outcome) {
        return registry.find("switchboard.route.decisions").tag("policy", policy).tag("outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private double upstreamErrors(String expert, String kind) {
        return registry.find("switchboard.upstream.errors").tag("expert", expert).tag("kind", kind)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private double allDecisions() {
        return registry.find("switchboard.route.decisions").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void answersOnTheEventLoopOnAWorkerPinnedAndStreamedAreCountedOutAsSuccess() throws Exception {
        double workerBefore = decisions("acct-worker", "success");
        double loopBefore = decisions("acct-loop", "success");
        assertThat(http.post("/v1/chat/completions", Http.chat("acct-worker", "acct-a please")).statusCode())
                .isEqualTo(200);
        assertThat(http.post("/v1/chat/completions", Http.chat("acct-loop", "acct-a please")).statusCode())
                .isEqualTo(200);
        assertThat(http.post("/v1/chat/completions", Http.chat("acct-a-served", "pinned")).statusCode())
                .isEqualTo(200);
        expertA.streamChunks(5);
        HttpResponse<InputStream> streamed = http.postStream("/v1/chat/completions",
                Http.chat("acct-worker", "acct-a stream").put("stream", true));
        assertThat(new String(streamed.body().readAllBytes(), StandardCharsets.UTF_8)).contains("[DONE]");
        awaitNothingInFlight();
        assertThat(decisions("acct-worker", "success")).isEqualTo(workerBefore + 2);
        assertThat(decisions("acct-loop", "success")).isEqualTo(loopBefore + 1);
    }

    @Test
    void aRelayedExpertErrorAndNoExpertAtAllAreCountedOut() {
        double relayed = decisions("acct-relay", "upstream_error");
        double unavailable = decisions("acct-relay", "unavailable");
        double pinnedUnavailable = decisions("none", "unavailable");
        expertA.failNext(1, StandInExpert.Failure.HTTP_500);
        // a 5xx that is not retried is not relayed either: the client gets our 502 naming the expert
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("acct-relay", "acct-a")), 502,
                "bad_gateway", null);
        expertA.failNext(1, StandInExpert.Failure.DROP_CONNECTION);
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("acct-relay", "acct-a")), 503,
                "experts_unavailable", null);
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("acct-none-served", "hi")), 503,
                "experts_unavailable", null);
        awaitNothingInFlight();
        assertThat(decisions("acct-relay", "upstream_error")).isEqualTo(relayed + 1);
        assertThat(decisions("acct-relay", "unavailable")).isEqualTo(unavailable + 1);
        assertThat(decisions("none", "unavailable")).isEqualTo(pinnedUnavailable + 1);
    }

    @Test
    void dryRunsAndDirectAnswersAreCountedOut() {
        double dryRuns = decisions("acct-worker", "dry_run");
        double direct = decisions("acct-worker", "direct");
        assertThat(http.post("/v1/route", Http.chat("acct-worker", "acct-a")).statusCode()).isEqualTo(200);
        assertThat(http.post("/v1/chat/completions", Http.chat("acct-loop", "acct-a"), "x-switchboard-dry-run",
                "true").statusCode()).isEqualTo(200);
        HttpResponse<String> answered = http.post("/v1/chat/completions", Http.chat("acct-worker", "direct please"));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(answered.body()).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("message").getString("content")).isEqualTo("scripted answer");
        awaitNothingInFlight();
        assertThat(decisions("acct-worker", "dry_run")).isEqualTo(dryRuns + 1);
        assertThat(decisions("acct-worker", "direct")).isEqualTo(direct + 1);
    }

    @Test
    void rejectionsAndExceptionsInTheRequestPathAreCountedOutWithoutADecision() {
        double before = allDecisions();
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", "{nope"), 400, "invalid_json", null);
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("acct-nothing", "hi")), 404,
                "model_not_found", "model");
        for (String model : new String[] {"acct-worker", "acct-loop"}) {
            OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat(model, "throw please")), 500,
                    "routing_failed", null);
            HttpResponse<String> failed = http.post("/v1/chat/completions", Http.chat(model, "null please"));
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(new JsonObject(failed.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("internal_error");
        }
        awaitNothingInFlight();
        assertThat(allDecisions()).isEqualTo(before);
    }

    @Test
    void anAnswerThatBreaksAfterItsHeadIsCutAndCountedOut() throws Exception {
        double broken = decisions("acct-relay", "upstream_error");
        expertA.streamChunks(40).chunkDelay(Duration.ofMillis(50));
        HttpResponse<InputStream> r = http.postStream("/v1/chat/completions",
                Http.chat("acct-relay", "acct-a a long story").put("stream", true));
        assertThat(r.statusCode()).isEqualTo(200);
        String received;
        try (InputStream in = r.body()) {
            received = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException truncated) {
            received = "";
        }
        assertThat(received).doesNotContain("[DONE]");
        awaitNothingInFlight();
        assertThat(decisions("acct-relay", "upstream_error")).isEqualTo(broken + 1);
    }

    @Test
    void aClientLeavingMidAnswerIsCountedOutAndStopsTheExpert() throws Exception {
        double cancelled = decisions("acct-worker", "client_cancel");
        double clientCancels = upstreamErrors("acct-a", "clientCancel");
        double streamErrors = upstreamErrors("acct-a", "stream");
        long expertCancelled = expertA.cancelled();
        expertA.streamChunks(50).chunkDelay(Duration.ofMillis(100));
        try (Socket socket = send(Http.chat("acct-worker", "acct-a a long story").put("stream", true))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                // status line, headers, chunk sizes
            }
            assertThat(line).startsWith("data: ");
            assertThat(metrics.requestsInFlight().count()).isPositive();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> expertA.cancelled() > expertCancelled);
        awaitNothingInFlight();
        assertThat(decisions("acct-worker", "client_cancel")).isEqualTo(cancelled + 1);
        assertThat(registry.find("switchboard.route.decisions").tag("policy", "acct-worker")
                .tag("outcome", "client_cancel").tag("expert", "acct-a").counter()).isNotNull();
        assertThat(upstreamErrors("acct-a", "clientCancel")).isEqualTo(clientCancels + 1);
        assertThat(upstreamErrors("acct-a", "stream")).as("leaving is not the expert's failure")
                .isEqualTo(streamErrors);
    }

    @Test
    void aClientLeavingWhileItsStrategyDecidesIsCountedOutAndNoExpertIsAsked() throws Exception {
        long asked = expertA.requests();
        try (Socket socket = send(Http.chat("acct-worker", "slow acct-a"))) {
            await().atMost(Duration.ofSeconds(2)).until(() -> metrics.requestsInFlight().count() > 0);
        }
        // counted out when the connection closed, not when the strategy finishes 600 ms later
        await().atMost(Duration.ofMillis(400)).until(() -> metrics.requestsInFlight().count() == 0);
        Thread.sleep(800);
        assertThat(expertA.requests()).isEqualTo(asked);
        assertThat(metrics.requestsInFlight().count()).isZero();
    }

    /** A raw socket, so "the client went away" is exactly a closed TCP connection. */
    private Socket send(JsonObject chat) throws Exception {
        byte[] body = chat.encode().getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", url.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }
}
