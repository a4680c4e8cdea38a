package dev.switchboard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stand-in as vLLM with runtime LoRA updating: load, list, answer as the adapter, refuse past --max-loras. */
class StandInAdaptersTest {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static HttpResponse<String> post(StandInExpert e, String path, JsonObject body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(StandInExpert e, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject chat(String model) {
        return new JsonObject().put("model", model).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "select all rows")));
    }

    static JsonObject lora(String name) {
        return new JsonObject().put("lora_name", name).put("lora_path", "org/" + name);
    }

    @Test
    void loadsListsAnswersAndUnloadsAdapters() throws Exception {
        try (StandInExpert base = new StandInExpert("llama", "127.0.0.1", 0).servedName("llama-3-8b").loras(2, true)
                .start()) {
            assertThat(post(base, "/v1/load_lora_adapter", lora("sql")).statusCode()).isEqualTo(200);
            HttpResponse<String> again = post(base, "/v1/load_lora_adapter", lora("sql"));
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).contains("has already been loaded");

            JsonArray models = new JsonObject(get(base, "/v1/models").body()).getJsonArray("data");
            assertThat(models).hasSize(2);
            assertThat(models.getJsonObject(1).getString("id")).isEqualTo("sql");
            assertThat(models.getJsonObject(1).getString("parent")).isEqualTo("llama-3-8b");

            assertThat(post(base, "/v1/chat/completions", chat("sql")).body()).contains("[sql] You asked");
            assertThat(post(base, "/v1/chat/completions", chat("llama-3-8b")).body()).contains("[llama] You asked");
            HttpResponse<String> unknown = post(base, "/v1/chat/completions", chat("legal"));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("The model `legal` does not exist.");

            assertThat(post(base, "/v1/load_lora_adapter", lora("code")).statusCode()).isEqualTo(200);
            HttpResponse<String> third = post(base, "/v1/load_lora_adapter", lora("legal"));
            assertThat(third.statusCode()).isEqualTo(400);
            assertThat(third.body()).contains("--max-loras is 2");

            assertThat(post(base, "/v1/unload_lora_adapter", new JsonObject().put("lora_name", "sql")).statusCode())
                    .isEqualTo(200);
            assertThat(post(base, "/v1/unload_lora_adapter", new JsonObject().put("lora_name", "sql")).statusCode())
                    .isEqualTo(404);
            assertThat(base.loadedAdapters()).containsExactly("code");
            assertThat(post(base, "/v1/chat/completions", chat("sql")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutRuntimeUpdatingTheEndpointsAreNotMounted() throws Exception {
        try (StandInExpert base = new StandInExpert("llama", "127.0.0.1", 0).loras(4, false).start()) {
            assertThat(post(base, "/v1/load_lora_adapter", lora("sql")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aColdStartIsUnhealthyUntilTheModelIsLoaded() throws Exception {
        try (StandInExpert base = new StandInExpert("math", "127.0.0.1", 0).loadTime(Duration.ofMillis(700))
                .start()) {
            long start = System.nanoTime();
            assertThat(get(base, "/health").statusCode()).isEqualTo(503);
            assertThat(post(base, "/v1/chat/completions", chat("math")).statusCode()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> get(base, "/health").statusCode() == 200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(650));
        }
    }
}
