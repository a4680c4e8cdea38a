package dev.switchboard.router.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for talking to the router like an OpenAI SDK would. */
public final class Http {
    public static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Http(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public static JsonObject chat(String model, String userText) {
        return new JsonObject().put("model", model).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", userText)));
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        try {
            return CLIENT.send(request(path, body, headers), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String path, JsonObject body, String... headers) {
        return post(path, body.encode(), headers);
    }

    public HttpResponse<InputStream> postStream(String path, JsonObject body) {
        try {
            return CLIENT.send(request(path, body.encode()), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The router's management port (quarkus.management.test-port) in a Quarkus test: /q/metrics, /q/health,
     * /q/routing and /q/tenants are served there, not on the client port.
     */
    public static String managementBase() {
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("test.management.url", String.class)
                .orElseGet(() -> System.getProperty("test.management.url"));
        if (url == null) {
            throw new IllegalStateException("no management port: is this a @QuarkusTest?");
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        // the URL Quarkus gives includes the management root path (/q)
        return base.endsWith("/q") ? base.substring(0, base.length() - 2) : base;
    }

    /** GET on the client port, or on the management port for /q/ paths. */
    public HttpResponse<String> get(String path) {
        String root = path.startsWith("/q/") ? managementBase() : base;
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(20))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest request(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }
}
