package dev.switchboard.router;

import dev.switchboard.router.support.Http;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Standalone mode: manifests in a directory (the same YAML users would kubectl apply) are served, edits are
 * picked up, and a broken file keeps the last good table while /q/routing names the problem.
 */
@QuarkusTest
@TestProfile(StandaloneModeProfile.class)
class StandaloneModeTest {
    static StandInExpert blue;
    static StandInExpert green;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void start() {
        blue = new StandInExpert("blue", "127.0.0.1", 0).start();
        green = new StandInExpert("green", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        blue.close();
        green.close();
    }

    static String experts() {
        return """
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: blue}
                spec:
                  external: {url: "%s", model: blue-v1, apiKeySecretRef: {name: keys, key: blue}}
                ---
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: green}
                spec:
                  external: {url: "%s"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: keys}
                stringData: {blue: sk-blue}
                """.formatted(blue.baseUrl(), green.baseUrl());
    }

    static String policy(String expert) {
        return """
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: canary}
                spec:
                  modelName: canary-model
                  experts: {names: [blue, green]}
                  strategy:
                    type: static
                    static:
                      experts: [{name: %s, weight: 1}]
                """.formatted(expert);
    }

    @Test
    void servesManifestsAndReloadsThemOnChange() throws Exception {
        Http http = new Http(url.toString());
        Files.writeString(StandaloneModeProfile.DIR.resolve("experts.yaml"), experts());
        Files.writeString(StandaloneModeProfile.DIR.resolve("policy.yaml"), policy("blue"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                http.post("/v1/chat/completions", Http.chat("canary-model", "hi")).statusCode() == 200);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("canary-model", "hi"));
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("blue");
        assertThat(blue.lastRequest().getString("model")).isEqualTo("blue-v1");
        assertThat(blue.lastAuthorization()).isEqualTo("Bearer sk-blue");

        Files.writeString(StandaloneModeProfile.DIR.resolve("policy.yaml"), policy("green") + "\n# edited\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> "green".equals(http.post("/v1/chat/completions",
                Http.chat("canary-model", "hi")).headers().firstValue("x-switchboard-expert").orElse("")));

        long version = new JsonObject(http.get("/q/routing").body()).getLong("version");
        Files.writeString(StandaloneModeProfile.DIR.resolve("broken.yaml"), "kind: ExpertModel\nmetadata: [oops\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> new JsonObject(http.get("/q/routing").body())
                .getJsonObject("errors").containsKey("config"));
        JsonObject routing = new JsonObject(http.get("/q/routing").body());
        assertThat(routing.getLong("version")).isEqualTo(version);
        assertThat(routing.getJsonObject("errors").getString("config")).contains("broken.yaml");
        assertThat(http.post("/v1/chat/completions", Http.chat("canary-model", "hi")).statusCode()).isEqualTo(200);
        Files.delete(StandaloneModeProfile.DIR.resolve("broken.yaml"));
        assertThat(http.get("/q/health/ready").statusCode()).isEqualTo(200);
    }
}
