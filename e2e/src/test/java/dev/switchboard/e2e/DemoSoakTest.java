package dev.switchboard.e2e;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo keeps serving for as long as it runs: the cluster {@code ./hack/demo.sh} starts ({@link DemoCluster})
 * answers through the router with the official OpenAI Java SDK (model list, completion, streamed completion), one
 * call after another, for {@code switchboard.soak} (default 5 minutes) with no failure, while every expert stays
 * Ready and every demo pod stays Ready. This once broke after about 40 s: the nodes' heartbeats went stale and pods
 * were never marked Ready again.
 */
class DemoSoakTest {
    private static final Duration SOAK = Duration.parse(System.getProperty("switchboard.soak", "PT5M"));
    private static final Duration READINESS_EVERY = Duration.ofSeconds(10);
    private static final int MAX_CALLS = 20_000;

    @Test
    void theDemoClusterServesContinuously() throws Exception {
        try (DemoCluster demo = new DemoCluster(ProjectPaths.root().resolve("e2e/target/demo-soak"))) {
            demo.start(System.out::println);
            OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(demo.router().baseUrl()).apiKey("unused")
                    .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
            List<String> failures = new ArrayList<>();
            List<String> notReady = new ArrayList<>();
            int calls = 0;
            int readinessChecks = 0;
            long start = System.nanoTime();
            long end = start + SOAK.toNanos();
            long nextReadinessCheck = start;
            while (System.nanoTime() < end && calls < MAX_CALLS) {
                String at = (System.nanoTime() - start) / 1_000_000_000 + " s";
                try {
                    call(openai, calls, Demo.QUESTIONS.get(calls % Demo.QUESTIONS.size()));
                } catch (RuntimeException | AssertionError e) {
                    failures.add(at + ": call " + calls + ": " + e);
                }
                calls++;
                if (System.nanoTime() >= nextReadinessCheck) {
                    readinessChecks++;
                    nextReadinessCheck = System.nanoTime() + READINESS_EVERY.toNanos();
                    if (!demo.expertsReady()) {
                        notReady.add(at + ": " + Cli.kubectl(demo.system().cluster().kubeconfig(), "get", "experts",
                                "-n", DemoComposition.NAMESPACE).output());
                    }
                    for (Pod pod : demo.system().client().pods().inNamespace(DemoComposition.NAMESPACE).list()
                            .getItems()) {
                        if (!isReady(pod)) {
                            notReady.add(at + ": pod " + pod.getMetadata().getName() + " not Ready");
                        }
                    }
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[soak] %.0f s: %d calls through the OpenAI SDK (%.1f/s), %d failed; %d readiness "
                    + "checks, %d not-Ready observations%n", seconds, calls, calls / seconds, failures.size(),
                    readinessChecks, notReady.size());
            assertThat(failures).as("calls that failed").isEmpty();
            assertThat(notReady).as("experts or pods that were not Ready").isEmpty();
            assertThat(seconds).isGreaterThanOrEqualTo(SOAK.toSeconds());
        }
    }

    /** One call of three kinds in turn: list models, a completion, a streamed completion. */
    private static void call(OpenAIClient openai, int n, String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(DemoCluster.MODEL)
                .addUserMessage(question).build();
        switch (n % 3) {
            case 0 -> assertThat(openai.models().list().data()).extracting(Model::id).contains(DemoCluster.MODEL);
            case 1 -> {
                ChatCompletion completion = openai.chat().completions().create(params);
                assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
                        text -> assertThat(text).isNotBlank());
            }
            default -> {
                StringBuilder text = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions()
                        .createStreaming(params)) {
                    stream.stream().forEach(chunk -> chunk.choices().forEach(
                            choice -> choice.delta().content().ifPresent(text::append)));
                }
                assertThat(text).isNotEmpty();
            }
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
