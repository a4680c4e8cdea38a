package dev.switchboard.router;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Pricing;
import dev.switchboard.engine.UpstreamFailure;
import dev.switchboard.router.demand.ColdStartHolds;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.proxy.EndpointBalancer;
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

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router as a gateway: API keys and tenants (401, 404 for models not allowed, keys added and revoked live),
 * per-tenant limits (429 with Retry-After), usage metered from every answer (streams included, the usage chunk
 * asked for on the client's behalf not relayed), the management port, per-policy breakers, retryOn, timeouts;
 * requests held for a cold expert under the router's and the tenant's bounds.
 */
@QuarkusTest
@TestProfile(TenantKeysProfile.class)
class GatewayTest {
    static StandInExpert one;
    static StandInExpert two;

    @Inject
    RoutingTableHolder tables;

    @Inject
    ColdStartHolds holds;

    @Inject
    RouterMetrics metrics;

    @Inject
    EndpointBalancer balancer;

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
    void anAdaptersBreakerAndUsageAreItsOwnThoughItRunsOnItsBasesPods() throws Exception {
        StandInExpert base = new StandInExpert("gw-base", "127.0.0.1", 0).loras(4, true).start();
        try {
            assertThat(Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base.baseUrl()
                    + "/load_lora_adapter")).header("content-type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("lora_name",
                            "gw-lora").put("lora_path", "/adapters/gw-lora").encode())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            List<Endpoint> pods = List.of(new Endpoint(base.baseUrl()));
            // as the routing table lists an adapter: its own name upstream and its own prices, its base's pods
            ExpertInfo lora = new ExpertInfo("gw-lora", "test", "gw-lora", "gw-lora", pods, null, Set.of("gw-lora"),
                    "", List.of(), false, Map.of(), 1, new Pricing(0, 1_000_000, 3_000_000));
            ExpertInfo onBase = new ExpertInfo("gw-base", "test", "gw-base", "gw-base", pods, null,
                    Set.of("gw-base"), "", List.of(), false, Map.of(), 1, new Pricing(0, 5_000_000, 5_000_000));
            tables.swap(TestTables.table(policy("gw-ad", "gw-ad-coe", "gw-base", new PolicyRoute.FailoverPolicy(1,
                    PolicyRoute.FailoverPolicy.DEFAULT.retryOn(), 2, Duration.ofSeconds(30)),
                    new PolicyRoute.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                    lora, onBase)));
            String cost = "switchboard_tenant_cost_total{expert=\"gw-lora\",policy=\"gw-ad\",tenant=\"alpha\"}";
            double before = metric(cost);
            HttpResponse<String> answered = chat("alpha-key", "gw-ad-coe", "gw-lora hi");
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.headers().firstValue("x-switchboard-expert")).hasValue("gw-lora");
            assertThat(answered.body()).contains("[gw-lora] You asked");
            assertThat(base.lastRequest().getString("model")).isEqualTo("gw-lora");
            // 10 input tokens at 1 per token, 10 output tokens at 3 per token: the adapter's prices, not the base's
            assertThat(metric(cost)).isEqualTo(before + 40);

            base.failNext(2, StandInExpert.Failure.HTTP_500);
            assertThat(chat("alpha-key", "gw-ad-coe", "gw-lora hi").statusCode()).isEqualTo(503);
            assertThat(chat("alpha-key", "gw-ad-coe", "gw-lora hi").statusCode()).isEqualTo(503);
            // the adapter's breaker is open; the base on the very same pods still answers
            HttpResponse<String> skipped = chat("alpha-key", "gw-ad-coe", "gw-lora hi");
            assertThat(skipped.statusCode()).isEqualTo(200);
            assertThat(skipped.headers().firstValue("x-switchboard-expert")).hasValue("gw-base");
            assertThat(skipped.headers().firstValue("x-switchboard-fallback").orElse(""))
                    .contains("gw-lora: circuit breaker open");
            HttpResponse<String> direct = chat("alpha-key", "gw-ad-coe", "gw-base hi");
            assertThat(direct.headers().firstValue("x-switchboard-expert")).hasValue("gw-base");
            assertThat(direct.headers().firstValue("x-switchboard-fallback")).isEmpty();
            JsonObject breakers = new JsonObject(http.get("/q/routing").body()).getJsonObject("circuitBreakers")
                    .getJsonObject("test/gw-ad");
            assertThat(breakers.getString("test/gw-lora")).isEqualTo("OPEN");
            assertThat(breakers.getString("test/gw-base")).isEqualTo("CLOSED");
        } finally {
            base.close();
        }
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

    /** A policy whose first choice is {@code cold}, an expert scaling from zero, with {@code one} as fallback. */
    private void serveCold(String prefix, ExpertInfo cold) {
        ExpertInfo general = expert(prefix + "-general", one.baseUrl());
        tables.swap(TestTables.table(policy("gw", "gw-coe", "gw-two", expert("gw-one", one.baseUrl()),
                expert("gw-two", two.baseUrl())), new PolicyRoute(prefix, "test", prefix + "-coe",
                new dev.switchboard.router.support.NameMatchStrategy(), Map.of(cold.name(), cold, general.name(),
                general), general.name(), PolicyRoute.FailoverPolicy.DEFAULT, new PolicyRoute.Timeouts(
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                new PolicyRoute.Holding(Duration.ofSeconds(20), 100))));
    }

    /** Priced like gw-priced (60 per stand-in answer), scaling from zero, ready on {@code urls}. */
    private static ExpertInfo coldPriced(String name, String... urls) {
        return new ExpertInfo(name, "test", name + "-served", name + "-upstream",
                java.util.Arrays.stream(urls).map(Endpoint::new).toList(), null, Set.of(name), "", List.of(), false,
                Map.of(), 1, new Pricing(0, 2_000_000, 4_000_000), true);
    }

    private CompletableFuture<HttpResponse<String>> send(String key, String model, String text) {
        return Http.CLIENT.sendAsync(http.request("/v1/chat/completions", Http.chat(model, text).encode(),
                key(key)), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void heldRequestsCountAgainstTheRoutersAndTheTenantsBoundsAndAreMeteredWhenForwarded() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.requestsInFlight().count() == 0);
        serveCold("gw-hold", coldPriced("gw-cold"));
        String cost = "switchboard_tenant_cost_total{expert=\"gw-cold\",policy=\"gw-hold\",tenant=\"%s\"}";
        double alphaBefore = metric(cost.formatted("alpha"));
        double holderBefore = metric(cost.formatted("holder"));

        // the tenant's concurrency: its held request holds its one slot
        CompletableFuture<HttpResponse<String>> holderHeld = send("holder-key", "gw-hold-coe", "gw-cold first");
        await().atMost(Duration.ofSeconds(5)).until(() -> holds.held() == 1);
        HttpResponse<String> second = chat("holder-key", "gw-hold-coe", "gw-cold second");
        OpenAiApiTest.assertError(second, 429, "rate_limit_exceeded", null);
        assertThat(second.body()).contains("too many concurrent requests");

        // the router's in-flight bound: held requests fill it, the next request of anyone is shed at once
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>(List.of(holderHeld));
        for (int i = 1; i < TenantKeysProfile.MAX_IN_FLIGHT; i++) {
            held.add(send("alpha-key", "gw-hold-coe", "gw-cold question " + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> holds.held() == TenantKeysProfile.MAX_IN_FLIGHT);
        long start = System.nanoTime();
        HttpResponse<String> shed = chat("alpha-key", "gw-coe", "gw-one hi");
        OpenAiApiTest.assertError(shed, 503, "overloaded", null);
        assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // no endpoint yet, so no endpoint's in-flight bound holds a place for them
        assertThat(balancer.of(new Endpoint(two.baseUrl()))).isZero();
        assertThat(held).noneMatch(CompletableFuture::isDone);

        // the expert is up: every held request goes the normal way to it and is metered at its prices
        serveCold("gw-hold", coldPriced("gw-cold", two.baseUrl()));
        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("gw-cold");
            assertThat(r.headers().firstValue("x-switchboard-fallback")).isEmpty();
        }
        assertThat(holds.held()).isZero();
        // 10 input tokens at 2 per token, 10 output tokens at 4 per token, each
        assertThat(metric(cost.formatted("holder"))).isEqualTo(holderBefore + 60);
        assertThat(metric(cost.formatted("alpha")))
                .isEqualTo(alphaBefore + 60 * (TenantKeysProfile.MAX_IN_FLIGHT - 1));

        // requests per minute (2) were charged once for the held request, not again when it was forwarded
        assertThat(chat("holder-key", "gw-hold-coe", "gw-cold third").statusCode()).isEqualTo(200);
        HttpResponse<String> fourth = chat("holder-key", "gw-hold-coe", "gw-cold fourth");
        OpenAiApiTest.assertError(fourth, 429, "rate_limit_exceeded", null);
        assertThat(fourth.body()).contains("requests per minute exceeded");
    }

    @Test
    void aClientLeavingWhileHeldFreesItsPlaceAtOnce() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.requestsInFlight().count() == 0);
        serveCold("gw-leave", coldPriced("gw-leave-a"));
        long fallbackCalls = one.requests();
        String body = Http.chat("gw-leave-coe", "gw-leave-a hello").encode();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 1000);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + "alpha-key\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> holds.held() == 1);
            assertThat(metric("switchboard_expert_held_requests{expert=\"gw-leave-a\"}")).isEqualTo(1);
        }
        // long before holding.maxWait (20 s): the queue place, the router's in-flight count and the demand go
        await().atMost(Duration.ofSeconds(2)).until(() -> holds.held() == 0
                && metrics.requestsInFlight().count() == 0);
        assertThat(metric("switchboard_expert_held_requests{expert=\"gw-leave-a\"}")).isZero();
        assertThat(metric("switchboard_expert_demand_in_flight{expert=\"gw-leave-a\"}")).isZero();
        assertThat(metric("switchboard_expert_demand_total{expert=\"gw-leave-a\"}")).isEqualTo(1);
        assertThat(metric("switchboard_expert_demand_diverted_total{expert=\"gw-leave-a\"}")).isZero();
        Thread.sleep(300);
        assertThat(one.requests()).as("the fallback was not called for the client who left").isEqualTo(fallbackCalls);
    }

    private double metric(String series) {
        List<String> lines = new ArrayList<>(http.get("/q/metrics").body().lines().toList());
        return lines.stream().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
