package dev.switchboard.router;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.ShadowRoute;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.TestTables;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow policies on live traffic: a category policy and its shadow, the same policy with another route for one
 * category, on a fixed set of questions whose agreement is known (100 % on algebra, 0 % on poetry); the shadow
 * never calls an expert; a full shadow pool sheds without delaying anyone; sampled answers are kept on the
 * management port.
 */
@QuarkusTest
class ShadowPolicyTest {
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final List<String> ALGEBRA = List.of("Solve the linear equation 3x + 7 = 22 for x",
            "Factor the quadratic polynomial x^2 - 5x + 6", "Simplify the algebraic fraction (2x + 4) / 2",
            "Find the roots of the equation x^2 = 49", "Expand the product (x + 1)(x - 1)",
            "Solve the system of equations x + y = 3 and x - y = 1");
    static final List<String> POETRY = List.of("Write a sonnet about the autumn sea and falling leaves",
            "Compose a haiku on morning frost in the garden", "Write a rhyming limerick about a cat named Bob",
            "Write a free verse poem about the city at night");

    static StandInExpert math;
    static StandInExpert writer;
    static StandInExpert general;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void startExperts() {
        math = new StandInExpert("sh-math", "127.0.0.1", 0).start();
        writer = new StandInExpert("sh-writer", "127.0.0.1", 0).start();
        general = new StandInExpert("sh-general", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        math.close();
        writer.close();
        general.close();
    }

    @BeforeEach
    void setUp() {
        http = new Http(url.toString());
    }

    static ExpertModel expert(String name, StandInExpert standIn) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: %s, namespace: shadow-test}
                spec: {external: {url: "%s"}}
                """.formatted(name, standIn.baseUrl()), ExpertModel.class);
    }

    /** A zero-shot category policy (lexical encoder, so decisions are exact) routing poetry to {@code poet}. */
    static RoutingPolicy categoryPolicy(String name, String modelName, String poet, String shadow) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: %s, namespace: shadow-test, generation: 1}
                spec:
                  modelName: %s
                  experts: {names: [sh-math, sh-writer, sh-general]}
                  embedding: {builtin: hashing}
                  strategy:
                    type: category
                    category:
                      categories:
                        - {name: algebra, examples: %s}
                        - {name: poetry, examples: %s}
                      routes:
                        - {category: algebra, experts: [{name: sh-math}]}
                        - {category: poetry, experts: [{name: %s}]}
                %s""".formatted(name, modelName, new JsonArray(ALGEBRA).encode(), new JsonArray(POETRY).encode(),
                poet, shadow == null ? "" : "  shadow: {policy: " + shadow + "}\n"), RoutingPolicy.class);
    }

    /** The live policy {@code name} (poetry to sh-writer) and its shadow {@code name}-candidate (to sh-general). */
    static RoutingTable categoryTable(String name) {
        List<ExpertModel> experts = List.of(expert("sh-math", math), expert("sh-writer", writer),
                expert("sh-general", general));
        RoutingPolicy live = categoryPolicy(name, name + "-model", "sh-writer", name + "-candidate");
        RoutingPolicy candidate = categoryPolicy(name + "-candidate", name + "-candidate-model", "sh-general", null);
        BuildResult built = RoutingTableBuilder.build(1, experts, List.of(live), List.of(live, candidate),
                e -> List.of(new Endpoint(e.getSpec().external.url)), SecretResolver.NONE, ArtifactSource.NONE,
                StrategyRegistry.standard(), RoutingTableBuilder.SHARED_ENCODERS);
        assertThat(built.errors()).isEmpty();
        assertThat(built.shadowProblems()).isEmpty();
        assertThat(built.table().shadows()).hasSize(1);
        return built.table();
    }

    @Test
    void agreementPerCategoryIsRecordedAndTheShadowCallsNoExpert() {
        tables.swap(categoryTable("coe-live"));
        long mathBefore = math.requests();
        long writerBefore = writer.requests();
        long generalBefore = general.requests();

        for (String q : ALGEBRA) {
            HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("coe-live-model", q));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("sh-math");
        }
        for (String q : POETRY) {
            assertThat(http.postStream("/v1/chat/completions", Http.chat("coe-live-model", q).put("stream", true))
                    .statusCode()).isEqualTo(200);
        }

        JsonObject shadow = awaitShadow("shadow-test/coe-live", s -> s.getLong("decisions") == 10);
        assertThat(shadow.getString("shadow")).isEqualTo("coe-live-candidate");
        assertThat(shadow.getLong("agreed")).isEqualTo(6);
        assertThat(shadow.getLong("shed")).isZero();
        assertThat(shadow.getJsonArray("perCategory")).containsExactly(
                new JsonObject().put("category", "algebra").put("decisions", 6).put("agreed", 6),
                new JsonObject().put("category", "poetry").put("decisions", 4).put("agreed", 0));
        assertThat(shadow.getJsonArray("disagreements")).containsExactly(new JsonObject()
                .put("liveExpert", "sh-writer").put("shadowExpert", "sh-general").put("count", 4));
        JsonObject latency = shadow.getJsonObject("decisionLatencyMs");
        assertThat(latency.getDouble("liveP50")).isPositive();
        assertThat(latency.getDouble("shadowP99")).isPositive();

        // only the live decisions were answered: the shadow's sh-general was never called
        awaitStreamsOver();
        assertThat(math.requests() - mathBefore).isEqualTo(6);
        assertThat(writer.requests() - writerBefore).isEqualTo(4);
        assertThat(general.requests() - generalBefore).isZero();

        String metrics = http.get("/q/metrics").body();
        assertThat(metrics).contains("switchboard_shadow_decisions_total{agreed=\"true\",category=\"algebra\","
                + "policy=\"coe-live\",shadow=\"coe-live-candidate\"} 6.0");
        assertThat(metrics).contains("switchboard_shadow_decisions_total{agreed=\"false\",category=\"poetry\","
                + "policy=\"coe-live\",shadow=\"coe-live-candidate\"} 4.0");
        assertThat(metrics).contains("switchboard_shadow_choice_total{live_expert=\"sh-writer\",policy=\"coe-live\","
                + "shadow=\"coe-live-candidate\",shadow_expert=\"sh-general\"} 4.0");
        assertThat(metrics).contains("switchboard_shadow_decision_duration_seconds_count{policy=\"coe-live\","
                + "shadow=\"coe-live-candidate\",side=\"shadow\"} 10");
        assertThat(metrics).contains("switchboard_shadow_decision_duration_seconds_count{policy=\"coe-live\","
                + "shadow=\"coe-live-candidate\",side=\"live\"} 10");
    }

    @Test
    void dryRunsAreNotShadowed() {
        tables.swap(categoryTable("coe-dry"));
        assertThat(http.post("/v1/route", Http.chat("coe-dry-model", ALGEBRA.get(0))).statusCode()).isEqualTo(200);
        assertThat(http.post("/v1/chat/completions", Http.chat("coe-dry-model", ALGEBRA.get(1))).statusCode())
                .isEqualTo(200);
        assertThat(awaitShadow("shadow-test/coe-dry", s -> s.getLong("decisions") >= 1).getLong("decisions"))
                .isEqualTo(1);
    }

    @Test
    void aFullShadowPoolShedsShadowDecisionsWithoutDelayingRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        RoutingStrategy stuck = new RoutingStrategy() {
            @Override
            public String type() {
                return "stuck";
            }

            @Override
            public Decision decide(Query query, PolicyRoute policy) {
                started.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Decision(policy.name(), type(), List.of("sh-general"), null, 1, null, Map.of(), null);
            }
        };
        PolicyRoute live = TestTables.policy("busy-live", "busy-model", null,
                TestTables.expert("sh-math", math.baseUrl()), TestTables.expert("sh-general", general.baseUrl()));
        PolicyRoute shadow = TestTables.withStrategy(TestTables.policy("busy-candidate", "busy-candidate-model", null,
                TestTables.expert("sh-math", math.baseUrl()), TestTables.expert("sh-general", general.baseUrl())),
                stuck);
        RoutingTable plain = TestTables.table(live);
        long generalBefore = general.requests();
        tables.swap(new RoutingTable(plain.version(), plain.policies(), plain.experts(),
                Map.of(ShadowRoute.key(live), new ShadowRoute("busy-live", 1, shadow, 1, 0))));
        try {
            // one shadow decision runs (and hangs), 64 wait (switchboard.shadow.queue), the rest are shed
            int requests = 80;
            long startedAt = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("busy-model", "sh-math " + i));
                assertThat(r.statusCode()).isEqualTo(200);
                if (i == 0) {
                    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            assertThat(took).as("requests never wait for their shadow").isLessThan(Duration.ofSeconds(15));
            JsonObject view = awaitShadow("test/busy-live", s -> s.getLong("shed") == requests - 65);
            assertThat(view.getLong("decisions")).isZero();
            assertThat(http.get("/q/metrics").body()).contains("switchboard_shadow_shed_total{policy=\"busy-live\","
                    + "shadow=\"busy-candidate\"} 15.0");
        } finally {
            release.countDown();
        }
        awaitShadow("test/busy-live", s -> s.getLong("decisions") == 65);
        assertThat(general.requests() - generalBefore).as("a shadow never calls an expert").isZero();
    }

    @Test
    void sampledRequestsKeepBothAnswersOnTheManagementPortOnly() {
        RoutingTable table = categoryTable("coe-sampled");
        ShadowRoute built = table.shadows().values().iterator().next();
        // every request sampled (the CRD allows at most 5 %; the engine value is not capped)
        tables.swap(new RoutingTable(table.version(), table.policies(), table.experts(), Map.of("shadow-test/coe-sampled",
                new ShadowRoute(built.live(), 1, built.policy(), 1, 1.0))));
        long generalBefore = general.requests();
        long seqBefore = http.get("/q/shadow/samples").statusCode() == 200
                ? new JsonObject(http.get("/q/shadow/samples").body()).getLong("kept") : 0;

        assertThat(http.post("/v1/chat/completions", Http.chat("coe-sampled-model", ALGEBRA.get(0))).statusCode())
                .isEqualTo(200);
        HttpResponse<InputStream> streamed = http.postStream("/v1/chat/completions",
                Http.chat("coe-sampled-model", POETRY.get(0)).put("stream", true));
        assertThat(streamed.statusCode()).isEqualTo(200);
        try (InputStream in = streamed.body()) {
            String sse = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sse).contains("data: [DONE]");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        JsonArray samples = awaitSamples(seqBefore, 2);
        JsonObject agreed = samples.getJsonObject(0);
        assertThat(agreed.getString("policy")).isEqualTo("coe-sampled");
        assertThat(agreed.getString("shadow")).isEqualTo("coe-sampled-candidate");
        assertThat(agreed.getString("category")).isEqualTo("algebra");
        assertThat(agreed.getString("question")).isEqualTo(ALGEBRA.get(0));
        assertThat(agreed.getBoolean("agreed")).isTrue();
        assertThat(agreed.getJsonObject("live").getString("expert")).isEqualTo("sh-math");
        assertThat(agreed.getJsonObject("live").getString("answer")).startsWith("[sh-math]");
        assertThat(agreed.getJsonObject("shadowChoice").getString("answer"))
                .isEqualTo(agreed.getJsonObject("live").getString("answer"));

        JsonObject differed = samples.getJsonObject(1);
        assertThat(differed.getBoolean("agreed")).isFalse();
        assertThat(differed.getString("category")).isEqualTo("poetry");
        assertThat(differed.getJsonObject("live").getString("expert")).isEqualTo("sh-writer");
        assertThat(differed.getJsonObject("live").getString("answer")).startsWith("[sh-writer]")
                .contains("sonnet");
        assertThat(differed.getJsonObject("shadowChoice").getString("expert")).isEqualTo("sh-general");
        assertThat(differed.getJsonObject("shadowChoice").getString("answer")).startsWith("[sh-general]");
        // the shadow's expert answered the sampled disagreement once, not streamed
        assertThat(general.requests() - generalBefore).isEqualTo(1);
        assertThat(general.lastRequest().getBoolean("stream")).isFalse();
        assertThat(general.lastRequest().getString("model")).isEqualTo("sh-general");

        // never on the client port
        assertThat(http.post("/q/shadow/samples", "{}").statusCode()).isEqualTo(404);
    }

    private JsonObject awaitShadow(String live, Predicate<JsonObject> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            JsonArray shadows = new JsonObject(http.get("/q/shadow").body()).getJsonArray("shadows");
            for (int i = 0; i < shadows.size(); i++) {
                JsonObject s = shadows.getJsonObject(i);
                if (s.getString("live").equals(live)) {
                    last = s;
                    if (done.test(s)) {
                        return s;
                    }
                }
            }
            sleep(20);
        }
        throw new AssertionError("shadow of " + live + " not as expected in time: " + last);
    }

    private JsonArray awaitSamples(long after, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonArray samples = new JsonArray();
        while (System.nanoTime() < deadline) {
            samples = new JsonObject(http.get("/q/shadow/samples?after=" + after).body()).getJsonArray("samples");
            if (samples.size() >= count) {
                return samples;
            }
            sleep(20);
        }
        throw new AssertionError("samples not kept in time: " + samples + "; metrics: "
                + http.get("/q/metrics").body().lines().filter(l -> l.startsWith("switchboard_shadow_samples"))
                .toList());
    }

    private static void awaitStreamsOver() {
        sleep(200);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
