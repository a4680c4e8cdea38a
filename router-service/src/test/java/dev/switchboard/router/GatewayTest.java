package dev.switchboard.router;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Pricing;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.TestTables;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router as a gateway: API keys and tenants (401, 404 for models not allowed, keys added and revoked live),
 * per-tenant limits (429 with Retry-After), usage metered from every answer (streams included, the usage chunk
 * asked for on the client's behalf not relayed), the management port, per-policy breakers, retryOn, timeouts.
 */
@QuarkusTest
@TestProfile(TenantKeysProfile.class)
class GatewayTest {
    static StandInExpert one;
    static StandInExpert two;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    Http http;

    @BeforeAll
    static void start() {
        one = new StandInExpert("gw-one", "127.0.0.1", 0).start();
        two = new StandInExpert("gw-two", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
        TenantKeysProfile.writeKeys(TenantKeysProfile.KEYS_YAML);
    }

    @BeforeEach
    void table() {
        one.failNext(0, StandInExpert.Failure.HTTP_500).latency(Duration.ZERO);
        two.failNext(0, StandInExpert.Failure.HTTP_500).latency(Duration.ZERO);
        ExpertInfo priced = new ExpertInfo("gw-priced", "test", "gw-priced-served", "gw-priced-upstream",
                List.of(new Endpoint(two.baseUrl())), null, Set.of("gw-priced"), "", List.of(), false, Map.of(), 1,
                new Pricing(0, 2_000_000, 4_000_000));
        tables.swap(TestTables.table(
                policy("gw", "gw-coe", "gw-two", expert("gw-one", one.baseUrl()), expert("gw-two", two.baseUrl())),
                policy("gw-price", "gw-priced-coe", null, priced)));
        http = new Http(url.toString());
    }

    private static String[] key(String key) {
        return new String[] {"authorization", "Bearer " + key};
    }

    private HttpResponse<String> chat(String key, String model, String text) {
        return http.post("/v1/chat/completions", Http.chat(model, text), key(key));
    }

    @Test
    void requestsWithoutAValidKeyAre401AndValidKeysPass() {
        HttpResponse<String> none = http.post("/v1/chat/completions", Http.chat("gw-coe", "gw-one hi"));
        OpenAiApiTest.assertError(none, 401, "invalid_api_key", null);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");
        OpenAiApiTest.assertError(chat("wrong-key", "gw-coe", "gw-one hi"), 401, "invalid_api_key", null);
        OpenAiApiTest.assertError(http.post("/v1/route", Http.chat("gw-coe", "hi")), 401, "invalid_api_key", null);
        assertThat(http.get("/v1/models").statusCode()).isEqualTo(401);
        assertThat(chat("alpha-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        // x-api-key, as some SDKs send it
        assertThat(http.post("/v1/chat/completions", Http.chat("gw-coe", "gw-one hi"), "x-api-key", "alpha-key")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aTrustedGatewayNamesTheTenantWhoseModelsAndLimitsApply() {
        assertThat(http.post("/v1/chat/completions", Http.chat("gw-coe", "gw-one hi"), "x-test-tenant", "narrow")
                .statusCode()).isEqualTo(200);
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("gw-priced-coe", "gw-priced hi"),
                "x-test-tenant", "narrow"), 404, "model_not_found", "model");
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("gw-coe", "gw-one hi"),
                "x-test-tenant", "nobody"), 401, "invalid_api_key", null);
    }

    @Test
    void aKeyWhoseSecretValueEndsInANewlineWorksTrimmed() {
        assertThat(chat("narrow-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
    }

    @Test
    void modelsATenantMayNotUseLookUnknownAndAreNotListed() {
        HttpResponse<String> r = chat("narrow-key", "gw-priced-coe", "hi");
        OpenAiApiTest.assertError(r, 404, "model_not_found", "model");
        assertThat(r.body()).contains("Available models: gw-coe\"");
        OpenAiApiTest.assertError(chat("narrow-key", "gw-one-served", "hi"), 404, "model_not_found", "model");
        JsonArray models = new JsonObject(getWithKey("/v1/models", "narrow-key")).getJsonArray("data");
        assertThat(models.stream().map(m -> ((JsonObject) m).getString("id")).toList()).containsExactly("gw-coe");
    }

    private String getWithKey(String path, String key) {
        try {
            return Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path.substring(1)))
                    .header("authorization", "Bearer " + key).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keysAreAddedAndRevokedLive() {
        OpenAiApiTest.assertError(chat("new-key", "gw-coe", "gw-one hi"), 401, "invalid_api_key", null);
        TenantKeysProfile.writeKeys(TenantKeysProfile.KEYS_YAML + """
                  - name: newcomer
                    models: ["*"]
                    keys: [new-key]
                """);
        await().atMost(Duration.ofSeconds(5)).until(() -> chat("new-key", "gw-coe", "gw-one hi").statusCode() == 200);
        TenantKeysProfile.writeKeys(TenantKeysProfile.KEYS_YAML.replace("keys: [rpm-key]", "keys: []"));
        await().atMost(Duration.ofSeconds(5)).until(() -> chat("new-key", "gw-coe", "gw-one hi").statusCode() == 401);
        assertThat(chat("rpm-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(401);
        // a broken file keeps the tenants it had, and says so without its content
        TenantKeysProfile.writeKeys("tenants: [{name: x, models: [], keys: [sekret-value]}]\n# padding to change size");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.get("/q/tenants").body())
                .contains("tenant x: models must list at least one model"));
        assertThat(http.get("/q/tenants").body()).doesNotContain("sekret-value");
        assertThat(chat("alpha-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        TenantKeysProfile.writeKeys(TenantKeysProfile.KEYS_YAML);
        await().atMost(Duration.ofSeconds(5)).until(() -> chat("rpm-key", "gw-coe", "gw-one hi").statusCode() != 401);
    }

    @Test
    void requestsPerMinuteAre429WithRetryAfter() {
        HttpResponse<String> last = null;
        for (int i = 0; i < 4; i++) {
            last = chat("rpm-key", "gw-coe", "gw-one hi");
        }
        OpenAiApiTest.assertError(last, 429, "rate_limit_exceeded", null);
        assertThat(new JsonObject(last.body()).getJsonObject("error").getString("type")).isEqualTo("requests");
        assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
        assertThat(http.get("/q/metrics").body())
                .contains("switchboard_tenant_rejections_total{reason=\"requests\",tenant=\"rpm\"}");
    }

    @Test
    void tokensPerMinuteCountWhatAnswersUsed() {
        // each stand-in answer reports 10 + 10 tokens: 25 a minute admits two requests, then none
        assertThat(chat("tpm-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        assertThat(chat("tpm-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        HttpResponse<String> r = chat("tpm-key", "gw-coe", "gw-one hi");
        OpenAiApiTest.assertError(r, 429, "rate_limit_exceeded", null);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("type")).isEqualTo("tokens");
        assertThat(r.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void aSpentBudgetIsInsufficientQuotaUntilThePeriodEnds() {
        assertThat(chat("budget-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        assertThat(chat("budget-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
        HttpResponse<String> r = chat("budget-key", "gw-coe", "gw-one hi");
        assertThat(r.statusCode()).as(http.get("/q/tenants").body()).isEqualTo(429);
        OpenAiApiTest.assertError(r, 429, "insufficient_quota", null);
        assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 86_400L);
    }

    @Test
    void concurrentRequestsBeyondTheTenantsLimitAre429() throws Exception {
        one.latency(Duration.ofMillis(800));
        long calls = one.requests();
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                chat("conc-key", "gw-coe", "gw-one hi"));
        await().atMost(Duration.ofSeconds(3)).until(() -> one.requests() > calls && !first.isDone());
        HttpResponse<String> second = chat("conc-key", "gw-coe", "gw-one hi");
        OpenAiApiTest.assertError(second, 429, "rate_limit_exceeded", null);
        assertThat(first.get().statusCode()).isEqualTo(200);
        // the slot is handed back when the answer is over
        assertThat(chat("conc-key", "gw-coe", "gw-one hi").statusCode()).isEqualTo(200);
    }

    @Test
    void usageIsMeteredPerTenantPolicyAndExpertWithCost() {
        double before = metric("switchboard_tenant_cost_total{expert=\"gw-priced\",policy=\"gw-price\",tenant=\"alpha\"}");
        assertThat(chat("alpha-key", "gw-priced-coe", "gw-priced hi").statusCode()).isEqualTo(200);
        // 10 input tokens at 2 per token, 10 output tokens at 4 per token
        assertThat(metric("switchboard_tenant_cost_total{expert=\"gw-priced\",policy=\"gw-price\",tenant=\"alpha\"}"))
                .isEqualTo(before + 60);
        assertThat(http.get("/q/metrics").body()).contains(
                "switchboard_tenant_tokens_total{expert=\"gw-priced\",policy=\"gw-price\",tenant=\"alpha\",type=\"input\"}");
        JsonObject alpha = new JsonObject(http.get("/q/tenants").body()).getJsonArray("tenants").stream()
                .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("alpha")).findFirst().orElseThrow();
        assertThat(alpha.getJsonObject("usage").getLong("inputTokens")).isPositive();
        assertThat(http.get("/q/tenants").body()).doesNotContain("alpha-key").doesNotContain("sha256");
    }

    @Test
    void streamsAreMeteredAndTheUsageChunkAskedForTheClientIsNotRelayed() throws Exception {
        String out = "switchboard_tenant_tokens_total{expert=\"gw-one\",policy=\"gw\",tenant=\"alpha\",type=\"output\"}";
        double before = metric(out);
        String plain = stream(Http.chat("gw-coe", "gw-one tell me").put("stream", true));
        assertThat(plain).contains("[DONE]").doesNotContain("\"usage\"");
        double afterPlain = metric(out);
        assertThat(afterPlain).isGreaterThan(before);
        JsonObject asked = Http.chat("gw-coe", "gw-one tell me").put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true));
        assertThat(stream(asked)).contains("\"usage\"").contains("[DONE]");
        assertThat(metric(out)).isGreaterThan(afterPlain);
        assertThat(one.lastRequest().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    }

    private String stream(JsonObject body) throws Exception {
        return Http.CLIENT.send(http.request("/v1/chat/completions", body.encode(), key("alpha-key")),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theClientPortServesNoManagementEndpoints() throws Exception {
        for (String path : new String[] {"/q/metrics", "/q/routing", "/q/health/live", "/q/tenants"}) {
            HttpResponse<String> r = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + path.substring(1))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
        assertThat(http.get("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/q/metrics").body()).contains("switchboard_requests_in_flight");
    }

    @Test
    void credentialsInExpertUrlsAreNotShown() {
        String withSecret = "http://user:s3cr3t-pw@127.0.0.1:" + one.port() + "/v1?api_key=s3cr3t-q";
        tables.swap(TestTables.table(policy("gw-cred", "gw-cred-coe", null, expert("gw-cred-x", withSecret))));
        String routing = http.get("/q/routing").body();
        assertThat(routing).contains("gw-cred-x").doesNotContain("s3cr3t");
    }

    @Test
    void breakersArePerPolicySoOnePolicysFailuresDoNotLockOutAnother() {
        PolicyRoute.FailoverPolicy trip = new PolicyRoute.FailoverPolicy(1,
                PolicyRoute.FailoverPolicy.DEFAULT.retryOn(), 2, Duration.ofSeconds(30));
        PolicyRoute.Timeouts t = new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(20));
        ExpertInfo shared = expert("gw-shared", one.baseUrl());
        tables.swap(TestTables.table(policy("gw-p1", "gw-p1-coe", null, trip, t, shared),
                policy("gw-p2", "gw-p2-coe", null, trip, t, shared)));
        one.failNext(2, StandInExpert.Failure.HTTP_500);
        chat("alpha-key", "gw-p1-coe", "gw-shared hi");
        chat("alpha-key", "gw-p1-coe", "gw-shared hi");
        assertThat(chat("alpha-key", "gw-p1-coe", "gw-shared hi").body()).contains("circuit breaker open");
        HttpResponse<String> other = chat("alpha-key", "gw-p2-coe", "gw-shared hi");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("x-switchboard-expert")).hasValue("gw-shared");
    }

    @Test
    void retryOnIsHonouredForConnectErrors() {
        PolicyRoute.FailoverPolicy only5xx = new PolicyRoute.FailoverPolicy(3, Set.of(UpstreamFailure.SERVER_ERROR),
                5, Duration.ofSeconds(30));
        int refused = dev.switchboard.testing.FreePort.pick();
        tables.swap(TestTables.table(policy("gw-retry", "gw-retry-coe", "gw-retry-b", only5xx,
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                expert("gw-retry-a", "http://127.0.0.1:" + refused + "/v1"), expert("gw-retry-b", two.baseUrl()))));
        long calls = two.requests();
        HttpResponse<String> r = chat("alpha-key", "gw-retry-coe", "gw-retry-a hi");
        OpenAiApiTest.assertError(r, 503, "experts_unavailable", null);
        assertThat(r.body()).contains("gw-retry-a: connectError").doesNotContain("gw-retry-b")
                .doesNotContain("127.0.0.1").doesNotContain("refused");
        assertThat(two.requests()).isEqualTo(calls);
    }

    @Test
    void aLongNonStreamingAnswerIsNotAFirstByteTimeout() {
        tables.swap(TestTables.table(policy("gw-long", "gw-long-coe", "gw-long-b",
                PolicyRoute.FailoverPolicy.DEFAULT,
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(20)),
                expert("gw-long-a", one.baseUrl()), expert("gw-long-b", two.baseUrl()))));
        one.latency(Duration.ofMillis(700));
        HttpResponse<String> r = chat("alpha-key", "gw-long-coe", "gw-long-a write a long answer");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("gw-long-a");
        assertThat(r.headers().firstValue("x-switchboard-fallback")).isEmpty();
    }

    @Test
    void requestCapsOfThePolicyAre400() {
        PolicyRoute p = policy("gw-caps", "gw-caps-coe", null, expert("gw-caps-a", one.baseUrl()));
        tables.swap(TestTables.table(new PolicyRoute(p.name(), p.namespace(), p.modelName(), p.strategy(),
                p.experts(), p.fallback(), p.failover(), p.timeouts(), p.picking(),
                new PolicyRoute.RequestCaps(256, 2))));
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("gw-caps-coe", "gw-caps-a hi")
                .put("max_tokens", 1e12), key("alpha-key")), 400, "max_tokens_above_cap", "max_tokens");
        OpenAiApiTest.assertError(http.post("/v1/chat/completions", Http.chat("gw-caps-coe", "gw-caps-a hi")
                .put("n", 128), key("alpha-key")), 400, "n_above_cap", "n");
        assertThat(http.post("/v1/chat/completions", Http.chat("gw-caps-coe", "gw-caps-a hi").put("max_tokens", 256)
                .put("n", 2), key("alpha-key")).statusCode()).isEqualTo(200);
    }

    private double metric(String series) {
        List<String> lines = new ArrayList<>(http.get("/q/metrics").body().lines().toList());
        return lines.stream().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
