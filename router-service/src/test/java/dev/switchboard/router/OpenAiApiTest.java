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

import java.net.URL;
import java.net.http.HttpResponse;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI API surface over real HTTP: routed and pinned requests, decision headers, dry runs, errors. */
@QuarkusTest
class OpenAiApiTest {
    static StandInExpert math;
    static StandInExpert general;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void startExperts() {
        math = new StandInExpert("api-math", "127.0.0.1", 0).start();
        general = new StandInExpert("api-general", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        math.close();
        general.close();
    }

    @BeforeEach
    void setUp() {
        http = new Http(url.toString());
        tables.swap(table(policy("api-policy", "api-coe", "api-general",
                expert("api-math", math.baseUrl()), expert("api-general", general.baseUrl()),
                expert("api-down", "http://127.0.0.1:1/v1"), expert("api-noendpoints"))));
    }

    @Test
    void routesToTheChosenExpertAndRewritesTheModel() {
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("api-coe", "api-math: what is 2+2?"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
                .startsWith("[api-math]");
        assertThat(math.lastRequest().getString("model")).isEqualTo("api-math-upstream");
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("api-math");
        assertThat(r.headers().firstValue("x-switchboard-policy")).hasValue("api-policy");
        assertThat(r.headers().firstValue("x-switchboard-strategy")).hasValue("name-match");
        assertThat(r.headers().firstValue("x-switchboard-category")).hasValue("api-math");
        assertThat(r.headers().firstValue("x-switchboard-confidence")).hasValue("0.900");
        assertThat(r.headers().firstValue("x-switchboard-fallback")).isEmpty();
    }

    @Test
    void unmatchedQueryGoesToTheFallbackAndSaysWhy() {
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("api-coe", "hello there"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("[api-general]");
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("api-general");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElseThrow()).startsWith("no-match");
    }

    @Test
    void pinnedRequestGoesStraightToThatExpert() {
        HttpResponse<String> r = http.post("/v1/chat/completions",
                Http.chat("api-general-served", "api-math question, but pinned"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("[api-general]");
        assertThat(r.headers().firstValue("x-switchboard-strategy")).hasValue("pinned");
        assertThat(general.lastRequest().getString("model")).isEqualTo("api-general-upstream");
    }

    @Test
    void completionsEndpointIsProxiedToo() {
        HttpResponse<String> r = http.post("/v1/completions",
                new JsonObject().put("model", "api-coe").put("prompt", "api-math: integrate x"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getString("text"))
                .startsWith("[api-math]");
    }

    @Test
    void modelsListsPoliciesAndRoutableExpertsOnly() {
        HttpResponse<String> r = http.get("/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        var ids = new JsonObject(r.body()).getJsonArray("data").stream()
                .map(o -> ((JsonObject) o).getString("id")).toList();
        assertThat(ids).contains("api-coe", "api-math-served", "api-general-served", "api-down-served")
                .doesNotContain("api-noendpoints-served");
    }

    @Test
    void dryRunReturnsTheDecisionWithoutCallingAnExpert() {
        long before = math.requests();
        HttpResponse<String> r = http.post("/v1/route", Http.chat("api-coe", "api-math please"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject d = new JsonObject(r.body());
        assertThat(d.getString("expert")).isEqualTo("api-math");
        assertThat(d.getString("policy")).isEqualTo("api-policy");
        assertThat(d.getDouble("confidence")).isEqualTo(0.9);
        assertThat(d.getJsonObject("scores").getDouble("api-math")).isEqualTo(0.9);
        assertThat(d.getLong("tableVersion")).isEqualTo(tables.table().version());

        HttpResponse<String> h = http.post("/v1/chat/completions", Http.chat("api-coe", "api-math please"),
                "x-switchboard-dry-run", "true");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(h.body()).getString("expert")).isEqualTo("api-math");
        assertThat(h.headers().firstValue("x-switchboard-expert")).hasValue("api-math");
        assertThat(math.requests()).isEqualTo(before);
    }

    @Test
    void malformedJsonIs400() {
        assertError(http.post("/v1/chat/completions", "{\"model\": \"api-coe\", "), 400, "invalid_json", null);
        assertError(http.post("/v1/chat/completions", "[1,2]"), 400, "invalid_json", null);
        assertError(http.post("/v1/chat/completions", ""), 400, "invalid_json", null);
    }

    @Test
    void missingFieldsAre400NamingTheParameter() {
        assertError(http.post("/v1/chat/completions", new JsonObject().put("model", "api-coe")), 400,
                "missing_messages", "messages");
        assertError(http.post("/v1/chat/completions", new JsonObject().put("messages", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "hi")))), 400, "missing_model", "model");
        assertError(http.post("/v1/completions", new JsonObject().put("model", "api-coe")), 400,
                "missing_prompt", "prompt");
        assertError(http.post("/v1/chat/completions", new JsonObject().put("model", "api-coe")
                .put("messages", "hi")), 400, "invalid_messages", "messages");
    }

    @Test
    void oversizeBodyIs413() {
        String big = "x".repeat(70_000);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("api-coe", big));
        assertError(r, 413, "request_too_large", null);
        assertThat(r.body()).contains("65536");
    }

    @Test
    void unknownModelIs404ListingAvailableModels() {
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("gpt-17", "hi"));
        assertError(r, 404, "model_not_found", "model");
        assertThat(r.body()).contains("gpt-17").contains("api-coe").contains("api-math-served");
    }

    @Test
    void expertWithoutEndpointsOrDownIs503WithTheReason() {
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("api-noendpoints-served", "hi"));
        assertError(r, 503, "experts_unavailable", null);
        assertThat(r.body()).contains("api-noendpoints: no ready endpoints");

        HttpResponse<String> down = http.post("/v1/chat/completions", Http.chat("api-down-served", "hi"));
        assertError(down, 503, "experts_unavailable", null);
        assertThat(down.body()).contains("api-down: connectError");
    }

    @Test
    void unknownEndpointAndWrongMethodAreOpenAiErrors() {
        assertError(http.get("/v1/embeddingz"), 404, "unknown_url", null);
        assertError(http.get("/v1/chat/completions"), 405, "method_not_allowed", null);
    }

    @Test
    void metricsAndRoutingTableAreExposed() {
        http.post("/v1/chat/completions", Http.chat("api-coe", "api-math: 1+1"));
        String metrics = http.get("/q/metrics").body();
        assertThat(metrics).contains("switchboard_route_decisions_total{").contains("switchboard_route_confidence")
                .contains("switchboard_routing_duration_seconds").contains("switchboard_upstream_duration_seconds")
                .contains("switchboard_routing_table_version").contains("switchboard_requests_in_flight")
                .contains("switchboard_upstream_first_token_seconds");
        JsonObject routing = new JsonObject(http.get("/q/routing").body());
        assertThat(routing.getLong("version")).isEqualTo(tables.table().version());
        assertThat(routing.getJsonArray("policies").getJsonObject(0).getString("modelName")).isEqualTo("api-coe");
        assertThat(http.get("/q/health/ready").statusCode()).isEqualTo(200);
    }

    static void assertError(HttpResponse<String> r, int status, String code, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("message")).isNotBlank();
        assertThat(error.getString("type")).isNotBlank();
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("param")).isEqualTo(param);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
