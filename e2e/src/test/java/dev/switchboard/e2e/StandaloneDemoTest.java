package dev.switchboard.e2e;

import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.ProjectPaths;
import dev.switchboard.testing.StandInExpert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ./hack/demo.sh --standalone: the packaged router, its built-in demo table, stand-ins on its loopback experts. */
class StandaloneDemoTest {
    @TempDir
    Path dir;

    @Test
    void printsTheDecisionsOfTheSampleQuestionsAndTheRouterAnswersThroughTheStandIns() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int port = FreePort.pick();
        try (StandaloneDemo demo = StandaloneDemo.start(
                ProjectPaths.root().resolve("router-service/target/quarkus-app/quarkus-run.jar"), port,
                ProcessBuilder.Redirect.to(dir.resolve("router.log").toFile()),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(demo.standIns()).extracting(StandInExpert::name)
                    .containsExactlyInAnyOrder("math", "code", "medical", "generalist");
            assertThat(out).contains("=== Switchboard demo: 4 stand-in experts, routing table v1 ===")
                    .contains("model 'switchboard-coe' (policy switchboard-coe, strategy category, fallback generalist):")
                    .containsPattern("\"What is the integral of 2x from 0 to 3\\?\" +-> math ")
                    .containsPattern("\"Write a Java method that checks whether a string is a palindrome.\" +-> code ")
                    .containsPattern("\"What are the side effects of ibuprofen\\?\" +-> medical ")
                    .containsPattern("\"Hey, how is it going\\? Any plans for the weekend\\?\" +-> generalist ")
                    .contains("curl -s -i http://127.0.0.1:" + port + "/v1/chat/completions");

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat("switchboard-coe",
                            "Solve 3x + 7 = 22", false))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-switchboard-expert")).hasValue("math");
            assertThat(answer.body()).contains("[math]");
        }
    }
}
