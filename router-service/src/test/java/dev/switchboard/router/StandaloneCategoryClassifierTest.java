package dev.switchboard.router;

import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.lab.train.LinearTrainer;
import dev.switchboard.lab.train.RouterTrainer;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A category policy whose classifier is a trained artifact (kind category) in a ConfigMap manifest: the router
 * serves it, and replacing the ConfigMap's artifact changes the routes without a restart.
 */
@QuarkusTest
@TestProfile(StandaloneModeProfile.class)
class StandaloneCategoryClassifierTest {
    static StandInExpert mathy;
    static StandInExpert general;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void start() {
        mathy = new StandInExpert("cat-mathy", "127.0.0.1", 0).start();
        general = new StandInExpert("cat-general", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        mathy.close();
        general.close();
    }

    /** Math and poetry questions, labelled as given (swapped = math questions labelled poetry and back). */
    static String artifact(boolean swapped) {
        String[] math = {"solve", "equation", "integral", "algebra", "derivative", "matrix"};
        String[] poem = {"poem", "verse", "rhyme", "sonnet", "stanza", "metaphor"};
        List<String> texts = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean isMath = i % 2 == 0;
            String[] w = isMath ? math : poem;
            texts.add(w[i % 6] + " " + w[(i / 6) % 6] + " item" + i);
            categories.add(isMath != swapped ? "math" : "poetry");
        }
        HashingEncoder encoder = new HashingEncoder();
        float[][] x = texts.stream().map(encoder::embed).toArray(float[][]::new);
        double[][] scores = new double[x.length][1];
        return RouterTrainer.category(encoder.id(), List.of("cat-mathy"), x, scores,
                categories.toArray(String[]::new), LinearTrainer.Options.DEFAULT).toJson();
    }

    static String manifests(String artifactJson) {
        return """
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: cat-mathy}
                spec:
                  external: {url: "%s"}
                  expertise: {categories: [math]}
                ---
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: cat-general}
                spec:
                  external: {url: "%s"}
                  expertise: {categories: [general], generalist: true}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: category-router}
                data:
                  router.json: '%s'
                ---
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: trained-coe}
                spec:
                  modelName: trained-coe
                  experts: {names: [cat-mathy, cat-general]}
                  embedding: {builtin: hashing}
                  strategy:
                    type: category
                    learned: {configMapRef: category-router}
                  fallback: cat-general
                """.formatted(mathy.baseUrl(), general.baseUrl(), artifactJson);
    }

    @Test
    void servesTheTrainedClassifierAndReloadsANewArtifact() throws Exception {
        Http http = new Http(url.toString());
        Files.writeString(StandaloneModeProfile.DIR.resolve("trained-coe.yaml"), manifests(artifact(false)));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                http.post("/v1/route", Http.chat("trained-coe", "solve the integral")).statusCode() == 200);
        JsonObject d = new JsonObject(http.post("/v1/route", Http.chat("trained-coe", "solve the integral")).body());
        assertThat(d.getString("strategy")).isEqualTo("category");
        assertThat(d.getString("category")).isEqualTo("math");
        assertThat(d.getString("expert")).isEqualTo("cat-mathy");
        assertThat(d.getJsonObject("scores").fieldNames()).containsExactlyInAnyOrder("math", "poetry");
        // poetry is a category of the artifact that no expert covers: the fallback answers, saying why
        JsonObject poem = new JsonObject(http.post("/v1/route", Http.chat("trained-coe", "a sonnet in rhyme")).body());
        assertThat(poem.getString("category")).isEqualTo("poetry");
        assertThat(poem.getString("expert")).isEqualTo("cat-general");
        assertThat(poem.getString("fallbackReason")).startsWith("no-expert-for-category 'poetry'");

        Files.writeString(StandaloneModeProfile.DIR.resolve("trained-coe.yaml"), manifests(artifact(true)));
        await().atMost(Duration.ofSeconds(5)).until(() -> "poetry".equals(new JsonObject(
                http.post("/v1/route", Http.chat("trained-coe", "solve the integral")).body()).getString("category")));
        assertThat(new JsonObject(http.post("/v1/route", Http.chat("trained-coe", "solve the integral")).body())
                .getString("expert")).isEqualTo("cat-general");
        Files.delete(StandaloneModeProfile.DIR.resolve("trained-coe.yaml"));
    }
}
