package dev.switchboard.engine.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engine.Encoder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds through an OpenAI-compatible {@code POST {url}/embeddings} (vLLM, TEI, OpenAI...). Vectors are
 * L2-normalised here, whatever the server returns. The dimension is learnt from the first response.
 */
public final class OpenAiEmbeddingsEncoder implements Encoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private volatile int dimension = -1;

    public OpenAiEmbeddingsEncoder(String baseUrl, String model, String apiKey, Duration timeout) {
        if (baseUrl == null || !baseUrl.matches("^https?://[^\\s/]+(/\\S*)?$")) {
            throw new IllegalArgumentException("embedding endpoint url must be http(s)://host[/path], got '"
                    + baseUrl + "'");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("embedding endpoint model is empty");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/embeddings");
        this.model = model;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.timeout = timeout;
        // Never follow a redirect: the API key is sent only to the URL it belongs to (docs/security.md).
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public OpenAiEmbeddingsEncoder(String baseUrl, String model, String apiKey) {
        this(baseUrl, model, apiKey, Duration.ofSeconds(10));
    }

    @Override
    public String id() {
        return "openai:" + model;
    }

    @Override
    public int dimension() {
        int d = dimension;
        if (d < 0) {
            d = embed("dimension probe").length;
        }
        return d;
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode input = body.putArray("input");
        for (String t : texts) {
            if (t == null) {
                throw new IllegalArgumentException("cannot embed null text");
            }
            input.add(t);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EncoderException("embedding endpoint " + endpoint + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EncoderException("interrupted while calling embedding endpoint " + endpoint, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new EncoderException("embedding endpoint " + endpoint + " answered HTTP " + response.statusCode()
                    + ": " + abbreviate(response.body()));
        }
        return parse(response.body(), texts.size());
    }

    private List<float[]> parse(String body, int expected) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new EncoderException("embedding endpoint " + endpoint + " returned invalid JSON: "
                    + abbreviate(body), e);
        }
        JsonNode data = root.path("data");
        if (!data.isArray() || data.size() != expected) {
            throw new EncoderException("embedding endpoint " + endpoint + " returned " + (data.isArray()
                    ? data.size() + " embeddings for " + expected + " inputs" : "no data array") + ": "
                    + abbreviate(body));
        }
        List<float[]> out = new ArrayList<>(java.util.Collections.nCopies(expected, (float[]) null));
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            JsonNode vector = item.path("embedding");
            if (index < 0 || index >= expected || out.get(index) != null) {
                throw new EncoderException("embedding endpoint " + endpoint + " returned bad index " + index);
            }
            if (!vector.isArray() || vector.isEmpty()) {
                throw new EncoderException("embedding endpoint " + endpoint + " returned data[" + i
                        + "].embedding that is not a non-empty number array (base64 encoding is not supported)");
            }
            float[] v = new float[vector.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) vector.get(j).asDouble();
            }
            if (dimension < 0) {
                dimension = v.length;
            } else if (dimension != v.length) {
                throw new EncoderException("embedding endpoint " + endpoint + " changed dimension from " + dimension
                        + " to " + v.length);
            }
            out.set(index, VectorMath.normaliseInPlace(v));
        }
        return out;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
