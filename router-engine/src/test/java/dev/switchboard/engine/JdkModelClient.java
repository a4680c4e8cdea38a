package dev.switchboard.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link ModelClient} for engine tests and benchmarks, which run without the router: the JDK's HTTP client, the
 * plan's candidates in order (first endpoint each, at most failover.maxAttempts), moving on after a connection
 * failure or a status the plan retries on, like the router does. No breakers, no balancing, no metrics.
 */
public final class JdkModelClient implements ModelClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public CompletionStage<ModelReply> call(RoutePlan plan, String apiPath, String body) {
        List<String> failures = new ArrayList<>();
        int attempts = 0;
        for (ExpertInfo expert : plan.candidates()) {
            if (!expert.routable() || attempts++ >= plan.failover().maxAttempts()) {
                continue;
            }
            String base = expert.endpoints().get(0).baseUrl().replaceAll("/+$", "");
            try {
                ObjectNode json = (ObjectNode) JSON.readTree(body);
                json.put("model", expert.upstreamModel());
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + apiPath))
                        .timeout(plan.timeouts().request()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
                if (expert.apiKey() != null) {
                    req.header("Authorization", "Bearer " + expert.apiKey());
                }
                HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                UpstreamFailure retry = UpstreamFailure.ofStatus(resp.statusCode());
                if (retry != null && plan.failover().retryOn().contains(retry)) {
                    failures.add(expert.name() + ": " + retry.label() + " (HTTP " + resp.statusCode() + ")");
                    continue;
                }
                return CompletableFuture.completedFuture(new ModelReply(expert.name(), resp.statusCode(),
                        resp.body()));
            } catch (IOException e) {
                failures.add(expert.name() + ": " + UpstreamFailure.CONNECT_ERROR.label() + " (" + e + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(new ModelCallException("interrupted"));
            }
        }
        return CompletableFuture.failedFuture(new ModelCallException(failures.isEmpty() ? "no candidate experts"
                : String.join("; ", failures)));
    }
}
