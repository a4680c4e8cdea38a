package dev.switchboard.operator.expert;

import dev.switchboard.operator.status.Reasons;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GET {url}/models on an external OpenAI-compatible endpoint: reachable means a 2xx answer. */
public final class ExternalProbe {
    private final HttpClient http;
    private final Duration timeout;

    public record Outcome(boolean reachable, String reason, String message) {
    }

    public ExternalProbe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public static String modelsUrl(String baseUrl) {
        return baseUrl.replaceAll("/+$", "") + "/models";
    }

    public Outcome probe(String baseUrl, Optional<String> apiKey) {
        String url = modelsUrl(baseUrl);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        } catch (IllegalArgumentException e) {
            return new Outcome(false, Reasons.ENDPOINT_ERROR, "invalid endpoint URL " + url + ": " + e.getMessage());
        }
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key.strip()));
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                return new Outcome(true, Reasons.ENDPOINT_REACHABLE, "GET " + url + " answered " + code);
            }
            return new Outcome(false, Reasons.ENDPOINT_ERROR, "GET " + url + " answered HTTP " + code
                    + (code == 401 || code == 403 ? " (check spec.external.apiKeySecretRef)" : ""));
        } catch (IOException e) {
            return new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "GET " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, Reasons.ENDPOINT_UNREACHABLE, "GET " + url + " interrupted");
        }
    }
}
