package dev.switchboard.e2e;

import dev.switchboard.testing.ProjectPaths;
import dev.switchboard.testing.StandInExpert;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./hack/demo.sh --standalone}: the packaged router in standalone mode with its built-in demo configuration
 * (no cluster), a stand-in expert started here for every expert of its routing table that points at loopback, and
 * the routing decision of a few sample questions and how to call the router. Ctrl-C stops the router and the
 * stand-ins. The router's port is {@code QUARKUS_HTTP_PORT}, default 8080, as for the router itself; its management
 * port (/q/routing, /q/metrics, /q/health) {@code QUARKUS_MANAGEMENT_PORT}, default 9000. The demo runs the router
 * open ({@code SWITCHBOARD_AUTH_MODE=open}): no API keys, on loopback only.
 */
public final class StandaloneDemo implements AutoCloseable {
    static final List<String> SAMPLES = List.of(
            "What is the integral of 2x from 0 to 3?",
            "Write a Java method that checks whether a string is a palindrome.",
            "What are the side effects of ibuprofen?",
            "Hey, how is it going? Any plans for the weekend?");

    private final Process router;
    private final int port;
    private final int managementPort;
    private final List<StandInExpert> standIns = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private StandaloneDemo(Process router, int port, int managementPort) {
        this.router = router;
        this.port = port;
        this.managementPort = managementPort;
    }

    public static void main(String[] args) throws Exception {
        String configured = System.getenv("QUARKUS_HTTP_PORT");
        int port = configured == null || configured.isBlank() ? 8080 : Integer.parseInt(configured.strip());
        StandaloneDemo demo = start(ProjectPaths.root().resolve("router-service/target/quarkus-app/quarkus-run.jar"),
                port, ProcessBuilder.Redirect.INHERIT, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
        System.exit(demo.router.waitFor());
    }

    /**
     * Starts the router from {@code jar} on {@code port} (its output to {@code routerOutput}), waits for its first
     * routing table, starts the stand-in experts and prints the demo's decisions to {@code out}.
     */
    static StandaloneDemo start(Path jar, int port, ProcessBuilder.Redirect routerOutput, PrintStream out)
            throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `mvn -B package -DskipTests` first");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(routerOutput);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1"); // a demo is for this machine only
        String configured = System.getenv("QUARKUS_MANAGEMENT_PORT");
        int managementPort = configured != null && !configured.isBlank() ? Integer.parseInt(configured.strip())
                : port == 8080 ? 9000 : dev.switchboard.testing.FreePort.pick();
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("SWITCHBOARD_AUTH_MODE", "open"); // the demo's router: no API keys
        StandaloneDemo demo = new StandaloneDemo(builder.start(), port, managementPort);
        try {
            JsonObject table = demo.awaitTable(Duration.ofSeconds(60));
            demo.startStandIns(table);
            out.print(demo.decisions(table));
            out.flush();
            return demo;
        } catch (IOException | InterruptedException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    /** The router's /q/routing once it has loaded a table (version 1 or later). */
    private JsonObject awaitTable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!router.isAlive()) {
                throw new IllegalStateException("the router exited with code " + router.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(managementUri("/q/routing"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonObject table = new JsonObject(r.body());
                    if (table.getLong("version", 0L) > 0) {
                        return table;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the router did not load its routing table within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private void startStandIns(JsonObject table) {
        for (Object e : table.getJsonArray("experts")) {
            JsonObject expert = (JsonObject) e;
            for (Object endpoint : expert.getJsonArray("endpoints")) {
                URI url = URI.create((String) endpoint);
                if ("127.0.0.1".equals(url.getHost()) || "localhost".equals(url.getHost())) {
                    standIns.add(new StandInExpert(expert.getString("name"), "127.0.0.1", url.getPort()).start());
                }
            }
        }
    }

    /** Each policy's decision for the sample questions, from the router's /v1/route, and how to try it. */
    private String decisions(JsonObject table) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder("\n=== Switchboard demo: ").append(standIns.size())
                .append(" stand-in experts, routing table v").append(table.getLong("version")).append(" ===\n");
        for (Object p : table.getJsonArray("policies")) {
            JsonObject policy = (JsonObject) p;
            String model = policy.getString("modelName");
            out.append(String.format(Locale.ROOT, "%nmodel '%s' (policy %s, strategy %s, fallback %s):%n",
                    model, policy.getString("name"), policy.getString("strategy"), policy.getString("fallback")));
            for (String q : SAMPLES) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/route"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat(model, q, false))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("/v1/route answered " + r.statusCode() + ": " + r.body());
                }
                JsonObject d = new JsonObject(r.body());
                String fallback = d.getString("fallbackReason");
                out.append(String.format(Locale.ROOT, "  %-70s -> %-10s category=%-8s confidence=%.2f%s%n",
                        '"' + q + '"', d.getString("expert"), d.getString("category"), d.getDouble("confidence"),
                        fallback != null ? " fallback: " + fallback : ""));
            }
            out.append(String.format(Locale.ROOT, "%nTry it:%n  curl -s -i http://127.0.0.1:%d/v1/chat/completions "
                    + "-H 'content-type: application/json' -d '{\"model\":\"%s\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Solve 3x + 7 = 22\"}]}'%n", port, model));
        }
        out.append(String.format(Locale.ROOT, "Decision only: POST /v1/route; models: GET /v1/models; table: "
                + "GET http://127.0.0.1:%d/q/routing; metrics: GET http://127.0.0.1:%d/q/metrics (management port). "
                + "Open mode: no API key needed. Ctrl-C stops.%n", managementPort, managementPort));
        return out.toString();
    }

    int port() {
        return port;
    }

    List<StandInExpert> standIns() {
        return standIns;
    }

    private URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Stops the router (gracefully, then forcibly after 10 s) and the stand-ins. */
    @Override
    public synchronized void close() {
        router.destroy();
        try {
            if (!router.waitFor(10, TimeUnit.SECONDS)) {
                router.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            router.destroyForcibly();
        }
        standIns.forEach(StandInExpert::close);
        standIns.clear();
    }
}
