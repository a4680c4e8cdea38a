package dev.switchboard.router;

import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static dev.switchboard.router.support.TestTables.withPicking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Picking a replica through the router: conversations, sessions, sticky experts and vLLM's load. */
@QuarkusTest
class EndpointPickingTest {
    static final String SYSTEM = "You are a helpful assistant for a travel agency. Be brief and friendly, and always "
            + "name the source of prices you quote.";
    static final List<StandInExpert> REPLICAS = new ArrayList<>();
    static StandInExpert other;

    @Inject
    RoutingTableHolder tables;

    @Inject
    EndpointPicker picker;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void start() {
        for (int i = 0; i < 4; i++) {
            REPLICAS.add(new StandInExpert("ep-chat", "127.0.0.1", 0).start());
        }
        other = new StandInExpert("ep-other", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        REPLICAS.forEach(StandInExpert::close);
        other.close();
    }

    String[] urls() {
        return REPLICAS.stream().map(StandInExpert::baseUrl).toArray(String[]::new);
    }

    static JsonObject turn(String model, int conversation, int turn) {
        JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM));
        for (int t = 0; t <= turn; t++) {
            messages.add(new JsonObject().put("role", "user").put("content", "ep-chat, trip " + conversation + ", step " + t
                    + ": what does a week in city number " + conversation + " cost?"));
            if (t < turn) {
                messages.add(new JsonObject().put("role", "assistant").put("content", "About 900 euros, per the "
                        + "agency's price list for city " + conversation + "."));
            }
        }
        return new JsonObject().put("model", model).put("messages", messages);
    }

    static String replica(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue(StandInExpert.REPLICA_HEADER).orElseThrow();
    }

    @Test
    void aConversationsTurnsLandOnOneReplicaWhileConversationsSpread() {
        tables.swap(table(policy("ep-policy", "ep-conv", null, expert("ep-chat", urls()))));
        Http http = new Http(url.toString());
        Set<String> firstReplicas = new HashSet<>();
        for (int c = 0; c < 16; c++) {
            String first = replica(http.post("/v1/chat/completions", turn("ep-conv", c, 0)));
            firstReplicas.add(first);
            for (int t = 1; t < 4; t++) {
                assertThat(replica(http.post("/v1/chat/completions", turn("ep-conv", c, t))))
                        .as("conversation %d, turn %d", c, t).isEqualTo(first);
            }
        }
        assertThat(firstReplicas).hasSizeGreaterThanOrEqualTo(3);
        // every turn after the first found its conversation cached on the replica it went to
        long hits = REPLICAS.stream().mapToLong(StandInExpert::prefixCacheHits).sum();
        long queries = REPLICAS.stream().mapToLong(StandInExpert::prefixCacheQueries).sum();
        assertThat((double) hits / queries).isGreaterThan(0.5);
        assertThat(http.get("/q/metrics").body()).contains("switchboard_endpoint_picks_total{by=\"prefix\",expert=\"ep-chat\"}");
    }

    @Test
    void aSessionHeaderOrTheUserFieldKeepsUnrelatedRequestsOnOneReplica() {
        tables.swap(table(policy("ep-s-policy", "ep-sess", null, expert("ep-chat", urls()))));
        Http http = new Http(url.toString());
        for (String session : List.of("alpha", "beta", "gamma")) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                seen.add(replica(http.post("/v1/chat/completions", Http.chat("ep-sess", "ep-chat: unrelated question " + i
                        + " of " + session), "x-session-id", session)));
            }
            assertThat(seen).as("session %s", session).hasSize(1);
        }
        Set<String> byUser = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            byUser.add(replica(http.post("/v1/chat/completions", Http.chat("ep-sess", "ep-chat: question " + i)
                    .put("user", "user-42"))));
        }
        assertThat(byUser).hasSize(1);
    }

    @Test
    void aStickySessionStaysOnItsExpertAndTheFallbackHeaderSaysSo() {
        EndpointPicking sticky = new EndpointPicking(EndpointPicking.Type.PREFIX_AFFINITY, 1.25, "x-session-id",
                true, true, Duration.ofMinutes(5));
        PolicyRoute p = withPicking(policy("ep-st-policy", "ep-sticky", null, expert("ep-math", urls()[0]),
                expert("ep-code", other.baseUrl())), sticky);
        tables.swap(table(p));
        Http http = new Http(url.toString());
        HttpResponse<String> first = http.post("/v1/chat/completions", Http.chat("ep-sticky", "ep-math: integrate x"),
                "x-session-id", "conv-1");
        assertThat(first.headers().firstValue("x-switchboard-expert")).hasValue("ep-math");
        assertThat(first.headers().firstValue("x-switchboard-fallback")).isEmpty();
        HttpResponse<String> second = http.post("/v1/chat/completions", Http.chat("ep-sticky",
                "ep-code: now write it in Java"), "x-session-id", "conv-1");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-switchboard-expert")).hasValue("ep-math");
        assertThat(second.headers().firstValue("x-switchboard-fallback")).hasValue(
                "sticky-session: conversation kept on expert ep-math (the strategy chose ep-code)");
        // another conversation, and the same one under the default (no stickiness), follow the strategy
        assertThat(http.post("/v1/chat/completions", Http.chat("ep-sticky", "ep-code: hello"), "x-session-id",
                "conv-2").headers().firstValue("x-switchboard-expert")).hasValue("ep-code");
        tables.swap(table(withPicking(p, EndpointPicking.DEFAULT)));
        assertThat(http.post("/v1/chat/completions", Http.chat("ep-sticky", "ep-code: again"), "x-session-id",
                "conv-1").headers().firstValue("x-switchboard-expert")).hasValue("ep-code");
    }

    @Test
    void eachReplicasLoadIsReadFromItsVllmMetricsAndForgottenWhenItLeaves() {
        tables.swap(table(policy("ep-l-policy", "ep-load", null, expert("ep-chat", urls()))));
        long now = System.nanoTime();
        // every replica read again after this table was served (earlier tests may have read them before)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (StandInExpert r : REPLICAS) {
                assertThat(picker.loads().fresh(r.baseUrl(), System.nanoTime())).as(r.baseUrl()).isNotNull()
                        .satisfies(l -> assertThat(l.atNanos()).isGreaterThan(now));
            }
        });
        tables.swap(table(policy("ep-l-policy", "ep-load", null, expert("ep-chat", urls()[1], urls()[2]))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(picker.loads().all()).doesNotContainKeys(urls()[0], urls()[3]).containsKeys(urls()[1]));
    }
}
