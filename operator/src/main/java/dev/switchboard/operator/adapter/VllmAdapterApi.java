package dev.switchboard.operator.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * vLLM's runtime LoRA API on one pod (targeted: vLLM v0.11.0 with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True):
 * {@code GET /v1/models} (adapters are the entries with a {@code parent}), {@code POST /v1/load_lora_adapter
 * {"lora_name", "lora_path"}} and {@code POST /v1/unload_lora_adapter {"lora_name"}}. Calls carry no credentials
 * (the operator reads no Secret): a base whose vLLM requires an API key (expert API keys) is served no adapters.
 */
public class VllmAdapterApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Duration timeout;

    public VllmAdapterApi(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The failure of one call, with vLLM's message. */
    public static final class CallFailed extends Exception {
        public CallFailed(String message) {
            super(message);
        }
    }

    /** Names of the adapters loaded on the pod at {@code hostPort}. */
    public Set<String> loadedAdapters(String hostPort) throws CallFailed {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(hostPort, "/v1/models")).GET());
        if (r.statusCode() != 200) {
            throw new CallFailed("GET /v1/models: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        }
        Set<String> names = new TreeSet<>();
        try {
            for (JsonNode m : JSON.readTree(r.body()).path("data")) {
                if (m.hasNonNull("parent") && m.hasNonNull("id")) {
                    names.add(m.get("id").asText());
                }
            }
        } catch (IOException e) {
            throw new CallFailed("GET /v1/models: unreadable answer: " + e.getMessage());
        }
        return names;
    }

    public void load(String hostPort, String name, String path) throws CallFailed {
        String body = JSON.createObjectNode().put("lora_name", name).put("lora_path", path).toString();
        HttpResponse<String> r = send(post(hostPort, "/v1/load_lora_adapter", body));
        // "already loaded" is what we wanted: another reconcile got there first
        if (r.statusCode() != 200 && !(r.statusCode() == 400 && r.body().contains("already been loaded"))) {
            throw new CallFailed("POST /v1/load_lora_adapter: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        }
    }

    public void unload(String hostPort, String name) throws CallFailed {
        String body = JSON.createObjectNode().put("lora_name", name).toString();
        HttpResponse<String> r = send(post(hostPort, "/v1/unload_lora_adapter", body));
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw new CallFailed("POST /v1/unload_lora_adapter: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        }
    }

    private HttpRequest.Builder post(String hostPort, String path, String body) {
        return HttpRequest.newBuilder(uri(hostPort, path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws CallFailed {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CallFailed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("interrupted");
        }
    }

    private static URI uri(String hostPort, String path) {
        return URI.create("http://" + hostPort + path);
    }

    private static String abbreviate(String s) {
        String flat = s == null ? "" : s.replace('\n', ' ').strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
