package dev.switchboard.router;

import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.support.CachedEmbeddingStrategy;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.ScriptedStrategy;
import dev.switchboard.router.support.TestTables;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile clients and hostile experts against the router on loopback, each case bounded in count and time: slow
 * headers, half-sent bodies, a flood of distinct large prompts, more concurrent streams than the router admits, a
 * client leaving during its decision, a full decision pool, experts sending hop-by-hop, cookie and x-switchboard-*
 * headers or error pages, and "0s" timeouts. After each, the router must still answer and stay live.
 */
@QuarkusTest
@TestProfile(TenantKeysProfile.class)
class HostileClientTest {
    private static final String KEY = "alpha-key";
    static StandInExpert expert;
    static HttpServer hostile;
    static volatile String hostileMode = "headers";

    @Inject
    RoutingTableHolder tables;

    @Inject
    RouterMetrics metrics;

    /** The router's own Vert.x: a second Vert.x instance in this JVM would change how later tests resolve names. */
    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void start() {
        expert = new StandInExpert("hc-expert", "127.0.0.1", 0).start();
    }

    /** An expert that answers with hop-by-hop, cookie and spoofed routing headers, or with an error page. */
    private void startHostile() throws Exception {
        if (hostile != null) {
            return;
        }
        hostile = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
            var resp = req.response();
            if (hostileMode.equals("error")) {
                resp.setStatusCode(500).putHeader("content-type", "text/html")
                        .end("<h1>Internal error at 10.1.2.3:8000</h1><pre>java.lang.NullPointerException</pre>");
                return;
            }
            resp.putHeader("content-type", "application/json")
                    .putHeader("connection", "x-internal-token")
                    .putHeader("x-internal-token", "leaked-token")
                    .putHeader("proxy-connection", "keep-alive")
                    .putHeader("set-cookie", "session=upstream")
                    .putHeader("x-switchboard-expert", "spoofed")
                    .putHeader("x-switchboard-policy", "spoofed")
                    .end("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        expert.close();
        if (hostile != null) {
            hostile.close();
            hostile = null;
        }
    }

    @BeforeEach
    void table() throws Exception {
        startHostile();
        expert.latency(Duration.ZERO).chunkDelay(Duration.ZERO).streamChunks(4);
        http = new Http(url.toString());
    }

    private HttpResponse<String> chat(String model, String text) {
        return http.post("/v1/chat/completions", Http.chat(model, text), "authorization", "Bearer " + KEY);
    }

    private void assertHealthy() {
        assertThat(http.get("/q/health/live").statusCode()).isEqualTo(200);
        tables.swap(TestTables.table(policy("hc-ok", "hc-ok-coe", null, expert("hc-ok-a", expert.baseUrl()))));
        assertThat(chat("hc-ok-coe", "hc-ok-a still there?").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.requestsInFlight().count() == 0);
    }

    @Test
    void slowHeaderConnectionsDoNotStopOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 1000);
                s.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: a"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            assertHealthy();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertHealthy();
    }

    @Test
    void aHalfSentBodyGets408AndItsConnectionClosed() throws Exception {
        tables.swap(TestTables.table(policy("hc-half", "hc-half-coe", null, expert("hc-half-a", expert.baseUrl()))));
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertHealthy();
    }

    @Test
    void aFloodOfDistinctLargePromptsKeepsMemoryBounded() throws Exception {
        CachedEmbeddingStrategy strategy = new CachedEmbeddingStrategy();
        tables.swap(TestTables.table(TestTables.withStrategy(policy("hc-big", "hc-big-coe", null,
                expert("hc-big-a", expert.baseUrl())), strategy)));
        System.gc();
        long before = usedHeap();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        String filler = "x".repeat(200_000);
        List<Future<?>> done = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        for (int c = 0; c < 3; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 100 && System.nanoTime() < deadline; i++) {
                    // distinct at both ends, where the clipped text the encoder sees comes from
                    String prompt = "hc-big-a " + client + "-" + i + " " + filler + " " + client + "-" + i;
                    statuses.add(chat("hc-big-coe", prompt).statusCode());
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        System.gc();
        long grown = usedHeap() - before;
        assertThat(statuses).hasSizeGreaterThan(100).allMatch(s -> s == 200 || s == 503);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isGreaterThan(50);
        // 300 prompts of 200 KB (400 KB as Java strings): kept by text they would hold over 100 MiB
        assertThat(grown).as("heap growth").isLessThan(48L << 20);
        assertThat(strategy.encoder().size()).isLessThanOrEqualTo(strategy.encoder().capacity());
        assertHealthy();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void streamsBeyondTheInFlightBoundAreShedWith503AndRetryAfter() throws Exception {
        expert.streamChunks(10).chunkDelay(Duration.ofMillis(100));
        tables.swap(TestTables.table(policy("hc-st", "hc-st-coe", null, expert("hc-st-a", expert.baseUrl()))));
        int clients = TenantKeysProfile.MAX_IN_FLIGHT * 2;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(pool.submit(() -> Http.CLIENT.send(http.request("/v1/chat/completions",
                    Http.chat("hc-st-coe", "hc-st-a stream").put("stream", true).encode(), "authorization",
                    "Bearer " + KEY), HttpResponse.BodyHandlers.ofString())));
        }
        int ok = 0;
        int shed = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                assertThat(r.body()).contains("[DONE]");
                ok++;
            } else {
                OpenAiApiTest.assertError(r, 503, "overloaded", null);
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
                shed++;
            }
        }
        pool.shutdown();
        assertThat(ok).isBetween(1, TenantKeysProfile.MAX_IN_FLIGHT);
        assertThat(shed).isGreaterThan(0);
        assertHealthy();
    }

    @Test
    void aClientLeavingDuringItsDecisionCallsNoExpert() throws Exception {
        tables.swap(TestTables.table(TestTables.withStrategy(policy("hc-leave", "hc-leave-coe", null,
                expert("hc-leave-a", expert.baseUrl())), new ScriptedStrategy("semantic"))));
        long calls = expert.requests();
        String body = Http.chat("hc-leave-coe", "slow hc-leave-a").encode();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 1000);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body).getBytes(StandardCharsets.UTF_8));
            Thread.sleep(150); // the strategy decides for 600 ms
        }
        Thread.sleep(1000);
        assertThat(expert.requests()).isEqualTo(calls);
        await().atMost(Duration.ofSeconds(3)).until(() -> metrics.requestsInFlight().count() == 0);
        assertHealthy();
    }

    @Test
    void aFullDecisionPoolShedsAtOnceWhileEventLoopDecisionsGoOn() throws Exception {
        tables.swap(TestTables.table(
                TestTables.withStrategy(policy("hc-pool", "hc-pool-coe", null, expert("hc-pool-a", expert.baseUrl())),
                        new ScriptedStrategy("semantic")),
                TestTables.withStrategy(policy("hc-loop", "hc-loop-coe", null, expert("hc-loop-a", expert.baseUrl())),
                        new ScriptedStrategy("static"))));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slow.add(pool.submit(() -> chat("hc-pool-coe", "slow hc-pool-a")));
        }
        Thread.sleep(100);
        long start = System.nanoTime();
        assertThat(chat("hc-loop-coe", "hc-loop-a quick").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        int shed = 0;
        for (Future<HttpResponse<String>> f : slow) {
            HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
            if (r.statusCode() == 503) {
                OpenAiApiTest.assertError(r, 503, "overloaded", null);
                shed++;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        pool.shutdown();
        assertThat(shed).isGreaterThanOrEqualTo(3); // one thread and a queue of two admit three
        assertHealthy();
    }

    @Test
    void hopByHopCookiesAndSpoofedRoutingHeadersOfAnExpertAreNotRelayed() {
        hostileMode = "headers";
        tables.swap(TestTables.table(policy("hc-hh", "hc-hh-coe", null,
                expert("hc-hh-a", "http://127.0.0.1:" + hostile.actualPort() + "/v1"))));
        HttpResponse<String> r = chat("hc-hh-coe", "hc-hh-a hi");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-internal-token")).isEmpty();
        assertThat(r.headers().firstValue("proxy-connection")).isEmpty();
        assertThat(r.headers().firstValue("set-cookie")).isEmpty();
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("hc-hh-a");
        assertThat(r.headers().firstValue("x-switchboard-policy")).hasValue("hc-hh");
        assertHealthy();
    }

    @Test
    void expertErrorPagesAndAddressesNeverReachTheClient() {
        hostileMode = "error";
        int refused = dev.switchboard.testing.FreePort.pick();
        tables.swap(TestTables.table(policy("hc-err", "hc-err-coe", "hc-err-b",
                expert("hc-err-a", "http://127.0.0.1:" + hostile.actualPort() + "/v1"),
                expert("hc-err-b", "http://127.0.0.1:" + refused + "/v1"))));
        HttpResponse<String> r = chat("hc-err-coe", "hc-err-a hi");
        OpenAiApiTest.assertError(r, 503, "experts_unavailable", null);
        assertThat(r.body()).contains("hc-err-a: 5xx (HTTP 500)").contains("hc-err-b: connectError")
                .doesNotContain("10.1.2.3").doesNotContain("NullPointer").doesNotContain("127.0.0.1")
                .doesNotContain("refused");
        assertHealthy();
    }

    @Test
    void zeroSecondTimeoutsTimeOutCleanly() {
        tables.swap(TestTables.table(policy("hc-zero", "hc-zero-coe", null, PolicyRoute.FailoverPolicy.DEFAULT,
                new PolicyRoute.Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO),
                expert("hc-zero-a", expert.baseUrl()))));
        expert.latency(Duration.ofMillis(200));
        HttpResponse<String> r = chat("hc-zero-coe", "hc-zero-a hi");
        OpenAiApiTest.assertError(r, 503, "experts_unavailable", null);
        assertThat(r.body()).contains("hc-zero-a: timeout");
        HttpResponse<String> s = http.post("/v1/chat/completions", Http.chat("hc-zero-coe", "hc-zero-a hi")
                .put("stream", true), "authorization", "Bearer " + KEY);
        OpenAiApiTest.assertError(s, 503, "experts_unavailable", null);
        expert.latency(Duration.ZERO);
        assertHealthy();
    }
}
