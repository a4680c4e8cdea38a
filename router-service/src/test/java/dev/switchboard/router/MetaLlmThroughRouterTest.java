package dev.switchboard.router;

import dev.switchboard.api.v1alpha1.MetaLlmStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.StrategySpec;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import dev.switchboard.testing.StandInMetaModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * metaLLM in the router, against {@link StandInMetaModel}: its call to the meta model goes through the router's own
 * upstream path, so it shows in the upstream metrics of the meta expert and its circuit breaker guards it, while
 * the client request is still counted as one decision.
 */
@QuarkusTest
class MetaLlmThroughRouterTest {
    static StandInMetaModel meta;
    static StandInExpert math;
    static StandInExpert general;

    @Inject
    RoutingTableHolder tables;

    @Inject
    StrategyRegistry strategies;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void start() throws Exception {
        meta = StandInMetaModel.start((user, allowed) -> user.contains("integral") ? "mt-math" : "SELF", true);
        math = new StandInExpert("mt-math", "127.0.0.1", 0).start();
        general = new StandInExpert("mt-general", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        meta.close();
        math.close();
        general.close();
    }

    /** A metaLLM policy built by the router's own strategy registry, as its table sources build them. */
    private Http withPolicy(String metaExpert, String modelName) {
        Map<String, ExpertInfo> experts = new LinkedHashMap<>();
        experts.put(metaExpert, expert(metaExpert, meta.baseUrl()));
        experts.put("mt-math", expert("mt-math", math.baseUrl()));
        experts.put("mt-general", expert("mt-general", general.baseUrl()));
        RoutingPolicySpec spec = new RoutingPolicySpec();
        spec.strategy = new StrategySpec();
        spec.strategy.type = "metaLLM";
        spec.strategy.metaLLM = new MetaLlmStrategySpec();
        spec.strategy.metaLLM.expert = metaExpert;
        RoutingStrategy strategy = strategies.builder("metaLLM").orElseThrow()
                .build(modelName, spec, experts, new StrategyContext() {
                    @Override
                    public Encoder encoder() {
                        throw new UnsupportedOperationException("metaLLM embeds nothing");
                    }

                    @Override
                    public Optional<String> artifact(String configMapName, String key) {
                        return Optional.empty();
                    }
                });
        tables.swap(table(new PolicyRoute(modelName, "test", modelName, strategy, experts, "mt-general",
                new PolicyRoute.FailoverPolicy(3, PolicyRoute.FailoverPolicy.DEFAULT.retryOn(), 2,
                        Duration.ofSeconds(30)),
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)))));
        return new Http(url.toString());
    }

    private long upstreamCalls(String expert) {
        Timer t = registry.find("switchboard.upstream.duration").tag("expert", expert).timer();
        return t == null ? 0 : t.count();
    }

    private double upstreamErrors(String expert, String kind) {
        Counter c = registry.find("switchboard.upstream.errors").tag("expert", expert).tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    private double decisions(String policy) {
        return registry.find("switchboard.route.decisions").tag("policy", policy).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    @Test
    void theMetaCallGoesThroughTheRoutersUpstreamPathAndShowsInItsMetrics() {
        Http http = withPolicy("mt-meta", "mt-coe");
        long metaCalls = upstreamCalls("mt-meta");
        long mathCalls = upstreamCalls("mt-math");
        int metaRequests = meta.requests().size();

        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("mt-coe", "compute this integral"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-strategy")).hasValue("metaLLM");
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("mt-math");
        assertThat(r.body()).contains("[mt-math]");
        assertThat(meta.requests()).hasSize(metaRequests + 1);
        assertThat(meta.requests().get(metaRequests).get("model").asText())
                .as("model rewritten by the router's proxy").isEqualTo("mt-meta-upstream");
        assertThat(upstreamCalls("mt-meta")).as("the meta call is an upstream call").isEqualTo(metaCalls + 1);
        assertThat(registry.find("switchboard.upstream.first.token").tag("expert", "mt-meta").timer())
                .isNotNull();
        // the client may have the whole answer a moment before the proxy sees the expert's end
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreamCalls("mt-math") == mathCalls + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> decisions("mt-coe") >= 1);
        assertThat(decisions("mt-coe")).as("one client request, one decision").isEqualTo(1);

        // SELF: the meta model's own answer comes back through the same path, twice (pick, then answer)
        HttpResponse<String> self = http.post("/v1/chat/completions", Http.chat("mt-coe", "hello there"));
        assertThat(self.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(self.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEqualTo("meta answers: hello there");
        assertThat(upstreamCalls("mt-meta")).isEqualTo(metaCalls + 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> decisions("mt-coe") >= 2);
        assertThat(decisions("mt-coe")).isEqualTo(2);
        assertThat(Double.parseDouble(http.get("/q/metrics").body().lines()
                .filter(l -> l.startsWith("switchboard_upstream_in_flight ")).findFirst().orElseThrow()
                .split(" ")[1])).isZero();
    }

    @Test
    void theMetaCallIsGuardedByTheMetaExpertsCircuitBreaker() {
        Http http = withPolicy("mt-meta-cb", "mt-cb");
        double failures = upstreamErrors("mt-meta-cb", "5xx");
        meta.failNext(2);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("mt-cb", "compute this integral"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("mt-general");
            assertThat(r.headers().firstValue("x-switchboard-fallback").orElseThrow())
                    .startsWith("meta model mt-meta-cb failed").contains("mt-meta-cb: 5xx (HTTP 500");
        }
        assertThat(upstreamErrors("mt-meta-cb", "5xx")).isEqualTo(failures + 2);
        assertThat(http.get("/q/routing").body()).contains("\"test/mt-meta-cb\" : \"OPEN\"");

        // open (2 consecutive failures): the meta model is not called at all, the decision falls back at once
        int calls = meta.requests().size();
        HttpResponse<String> skipped = http.post("/v1/chat/completions", Http.chat("mt-cb", "compute this integral"));
        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(skipped.headers().firstValue("x-switchboard-expert")).hasValue("mt-general");
        assertThat(skipped.headers().firstValue("x-switchboard-fallback").orElseThrow())
                .contains("mt-meta-cb: circuit breaker open");
        assertThat(meta.requests()).hasSize(calls);
    }

    @Test
    void aClientLeavingWhileTheMetaModelThinksStopsTheMetaCallAndCallsNoExpert() throws Exception {
        StandInExpert slowMeta = new StandInExpert("mt-slow-meta", "127.0.0.1", 0).start()
                .latency(Duration.ofMillis(2000));
        try {
            Map<String, ExpertInfo> experts = new LinkedHashMap<>();
            experts.put("mt-slow-meta", expert("mt-slow-meta", slowMeta.baseUrl()));
            experts.put("mt-math", expert("mt-math", math.baseUrl()));
            experts.put("mt-general", expert("mt-general", general.baseUrl()));
            RoutingPolicySpec spec = new RoutingPolicySpec();
            spec.strategy = new StrategySpec();
            spec.strategy.type = "metaLLM";
            spec.strategy.metaLLM = new MetaLlmStrategySpec();
            spec.strategy.metaLLM.expert = "mt-slow-meta";
            RoutingStrategy strategy = strategies.builder("metaLLM").orElseThrow().build("mt-leave", spec, experts,
                    new StrategyContext() {
                        @Override
                        public Encoder encoder() {
                            throw new UnsupportedOperationException();
                        }

                        @Override
                        public Optional<String> artifact(String configMapName, String key) {
                            return Optional.empty();
                        }
                    });
            tables.swap(table(new PolicyRoute("mt-leave", "test", "mt-leave", strategy, experts, "mt-general",
                    PolicyRoute.FailoverPolicy.DEFAULT,
                    new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)))));
            long mathCalls = math.requests();
            long generalCalls = general.requests();
            String body = Http.chat("mt-leave", "what is the integral of x?").encode();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", url.getPort())) {
                s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> slowMeta.requests() == 1);
            }
            // the meta model's request is reset long before its 2 s answer, and nobody is asked after it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> slowMeta.cancelled() == 1);
            Thread.sleep(300);
            assertThat(math.requests()).isEqualTo(mathCalls);
            assertThat(general.requests()).isEqualTo(generalCalls);
        } finally {
            slowMeta.close();
        }
    }
}
