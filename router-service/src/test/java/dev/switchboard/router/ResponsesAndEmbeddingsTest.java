package dev.switchboard.router;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.router.usage.UsageLedger;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
import java.util.List;
import java.util.Map;

import static dev.switchboard.router.support.TestTables.embedder;
import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.tableWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /v1/responses (routed like chat, plain and streamed) and POST /v1/embeddings (to embedding experts by name)
 * through the router, called with the official OpenAI Java SDK against stand-in experts; usage metered from the
 * Responses usage object (also in streams) and the embeddings usage; every wrong use refused in OpenAI's form.
 */
@QuarkusTest
class ResponsesAndEmbeddingsTest {
    static StandInExpert math;
    static StandInExpert general;
    static StandInExpert embed;

    @Inject
    RoutingTableHolder tables;

    @Inject
    UsageLedger ledger;

    @TestHTTPResource("/")
    URL url;

    Http http;
    OpenAIClient openai;

    @BeforeAll
    static void startExperts() {
        math = new StandInExpert("rs-math", "127.0.0.1", 0).start();
        general = new StandInExpert("rs-general", "127.0.0.1", 0).start();
        embed = new StandInExpert("rs-embed", "127.0.0.1", 0).start();
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
        openai = OpenAIOkHttpClient.builder().baseUrl(url.toString() + "v1").apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
        tables.swap(tableWith(List.of(embedder("rs-embed", embed.baseUrl())), policy("rs-policy", "rs-coe",
                "rs-general", expert("rs-math", math.baseUrl()), expert("rs-general", general.baseUrl()))));
    }

    private long tokens(String type) {
        return ((Number) ledger.view("anonymous").get(type)).longValue();
    }

    @Test
    void responsesAreRoutedLikeChatAndAnsweredByTheChosenExpertsOwnResponsesApi() {
        long input = tokens("inputTokens");
        long output = tokens("outputTokens");
        Response response = openai.responses().create(ResponseCreateParams.builder().model("rs-coe")
                .input("rs-math: what is 2+2?").instructions("Answer briefly.").build());
        String text = response.output().get(0).asMessage().content().get(0).asOutputText().text();
        assertThat(text).isEqualTo("[rs-math] You asked: rs-math: what is 2+2?");
        JsonObject sent = math.lastRequest();
        assertThat(sent.getString("model")).isEqualTo("rs-math-upstream");
        assertThat(sent.getString("instructions")).isEqualTo("Answer briefly.");
        // nothing is stored on an expert that no later request could reach
        assertThat(sent.getBoolean("store")).isFalse();
        ResponseUsage usage = response.usage().orElseThrow();
        assertThat(tokens("inputTokens") - input).isEqualTo(usage.inputTokens()).isEqualTo(10);
        assertThat(tokens("outputTokens") - output).isEqualTo(usage.outputTokens());
    }

    @Test
    void streamedResponsesRelayTheTypedEventsAndMeterTheUsageOfResponseCompleted() {
        long input = tokens("inputTokens");
        long output = tokens("outputTokens");
        StringBuilder text = new StringBuilder();
        ResponseUsage usage = null;
        try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(
                ResponseCreateParams.builder().model("rs-coe").input("rs-math: stream it please").build())) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                if (event.completed().isPresent()) {
                    usage = event.completed().get().response().usage().orElseThrow();
                }
            }
        }
        assertThat(text.toString()).isEqualTo("[rs-math] You asked: rs-math: stream it please");
        assertThat(usage).isNotNull();
        assertThat(math.lastRequest().getBoolean("stream")).isTrue();
        assertThat(tokens("inputTokens") - input).isEqualTo(10);
        assertThat(tokens("outputTokens") - output).isEqualTo(usage.outputTokens()).isPositive();
    }

    @Test
    void inputItemsRouteOnTheLastUserMessageAndRawStreamsKeepTheirEventLines() throws Exception {
        JsonObject body = new JsonObject().put("model", "rs-coe").put("input", new JsonArray()
                .add(new JsonObject().put("role", "developer").put("content", "Be precise."))
                .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
                        .add(new JsonObject().put("type", "input_text").put("text", "rs-math: integrate x")))));
        HttpResponse<String> r = http.post("/v1/responses", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("rs-math");
        assertThat(new JsonObject(r.body()).getString("object")).isEqualTo("response");

        HttpResponse<String> route = http.post("/v1/route", body);
        assertThat(new JsonObject(route.body()).getString("expert")).isEqualTo("rs-math");

        HttpResponse<String> unmatched = http.post("/v1/responses",
                new JsonObject().put("model", "rs-coe").put("input", "hello"));
        assertThat(unmatched.headers().firstValue("x-switchboard-expert")).hasValue("rs-general");

        HttpResponse<java.io.InputStream> streamed = http.postStream("/v1/responses",
                new JsonObject().put("model", "rs-coe").put("input", "rs-math: hi").put("stream", true));
        String sse = new String(streamed.body().readAllBytes());
        assertThat(streamed.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(sse).startsWith("event: response.created\ndata: ").contains("event: response.completed\n");
    }

    @Test
    void embeddingsGoToTheEmbeddingExpertNamedByTheModel() {
        long input = tokens("inputTokens");
        CreateEmbeddingResponse response = openai.embeddings().create(EmbeddingCreateParams.builder()
                .model("rs-embed-served").input("the quick brown fox").build());
        assertThat(response.data()).hasSize(1);
        assertThat(response.data().get(0).embedding()).hasSize(8);
        assertThat(embed.lastRequest().getString("model")).isEqualTo("rs-embed-upstream");
        assertThat(tokens("inputTokens") - input).isEqualTo(4);

        HttpResponse<String> raw = http.post("/v1/embeddings", new JsonObject().put("model", "rs-embed-served")
                .put("input", new JsonArray().add("one").add("two words")));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("x-switchboard-expert")).hasValue("rs-embed");
        assertThat(new JsonObject(raw.body()).getJsonArray("data")).hasSize(2);
        assertThat(http.get("/v1/models").body()).contains("rs-embed-served");
    }

    @Test
    void wrongModelsAreRefusedNamingTheModelAndWhatItServes() {
        long embedRequests = embed.requests();
        for (String path : new String[] {"/v1/responses", "/v1/embeddings"}) {
            HttpResponse<String> unknown = http.post(path,
                    new JsonObject().put("model", "no-such-model").put("input", "hi"));
            assertError(unknown, 404, "model_not_found", "model").contains("no-such-model");
        }
        assertError(http.post("/v1/embeddings", new JsonObject().put("model", "rs-coe").put("input", "hi")),
                400, "model_not_supported", "model").contains("'rs-coe'").contains("routed chat model")
                .contains("not embeddings").contains("rs-embed-served");
        assertError(http.post("/v1/embeddings", new JsonObject().put("model", "rs-math-served").put("input", "hi")),
                400, "model_not_supported", "model").contains("'rs-math-served'").contains("serves chat")
                .contains("not embeddings");
        assertError(http.post("/v1/chat/completions", Http.chat("rs-embed-served", "hi")),
                400, "model_not_supported", "model").contains("'rs-embed-served' serves embeddings only")
                .contains("POST /v1/embeddings");
        assertError(http.post("/v1/responses", new JsonObject().put("model", "rs-embed-served").put("input", "hi")),
                400, "model_not_supported", "model").contains("serves embeddings only");
        assertThat(embed.requests()).isEqualTo(embedRequests);
    }

    @Test
    void serverSideStateAndMalformedInputsAreRefusedBeforeAnyExpertIsCalled() {
        long before = math.requests() + general.requests();
        Map<String, JsonObject> bodies = Map.of(
                "previous_response_id", new JsonObject().put("model", "rs-coe").put("input", "hi")
                        .put("previous_response_id", "resp_123"),
                "store", new JsonObject().put("model", "rs-coe").put("input", "hi").put("store", true),
                "background", new JsonObject().put("model", "rs-coe").put("input", "hi").put("background", true),
                "conversation", new JsonObject().put("model", "rs-coe").put("input", "hi").put("conversation", "c1"));
        bodies.forEach((param, body) -> assertError(http.post("/v1/responses", body), 400, "unsupported_parameter",
                param).contains("'" + param));
        assertError(http.post("/v1/responses", new JsonObject().put("model", "rs-coe")), 400, "missing_input",
                "input");
        assertError(http.post("/v1/responses", new JsonObject().put("model", "rs-coe").put("input", 42)), 400,
                "invalid_input", "input");
        assertError(http.post("/v1/embeddings", new JsonObject().put("model", "rs-embed-served")), 400,
                "missing_input", "input");
        assertError(http.post("/v1/embeddings", new JsonObject().put("model", "rs-embed-served")
                .put("input", new JsonArray())), 400, "invalid_input", "input");
        assertThat(math.requests() + general.requests()).isEqualTo(before);
        // store: false is what the router sends anyway
        assertThat(http.post("/v1/responses", new JsonObject().put("model", "rs-coe").put("input", "hi")
                .put("store", false)).statusCode()).isEqualTo(200);
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertError(HttpResponse<String> r, int status,
                                                                            String code, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("param")).isEqualTo(param);
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        return assertThat(error.getString("message"));
    }
}
