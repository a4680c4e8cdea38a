package dev.switchboard.router.bench;

import dev.switchboard.testing.StandInExpert;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proxy overhead of the router: latency (p50/p99) and throughput of non-streaming chat completions sent to a
 * stand-in expert directly and through the router, at 1, 64 and 512 concurrent clients; plus the latency of
 * routing decisions (/v1/route dry runs on a category policy with the MiniLM encoder). The router runs as its own
 * process from the packaged jar, in standalone mode with a generated config; everything is on 127.0.0.1, and each
 * measurement is bounded in time. Run with hack/bench-router.sh.
 */
public final class ProxyOverheadBenchmark {
    private static final String[] QUESTIONS = {
            "What is the derivative of x^3 * sin(x)?", "Write a Python function that reverses a linked list.",
            "What are the early symptoms of type 2 diabetes?", "Hi! How are you today?",
            "Solve for x in 3x + 7 = 22.", "Why does my Java code throw a NullPointerException?",
            "Can I take ibuprofen together with paracetamol?", "Write a short poem about autumn."};

    private static final AtomicLong STUCK = new AtomicLong();
    private static Vertx VERTX_FOR_TIMERS;
    /** Sent with every request: the benchmark tenant's key when the router runs with API keys. */
    private static String AUTHORIZATION;

    record Result(String target, int concurrency, long requests, long errors, double seconds, long[] sortedNanos) {
        double rps() {
            return requests / seconds;
        }

        double percentileMs(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, i)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "router-service/target/quarkus-app/quarkus-run.jar");
        Duration warmup = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 3);
        Duration measure = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 6);
        // "keys" (default): API keys and a tenant with limits, as in production (limits high enough never to refuse
        // a request here); "open": no authentication; "legacy": a router built before API keys existed (it refuses
        // unknown switchboard.* settings).
        String auth = args.length > 3 ? args[3] : "keys";
        boolean keys = auth.equals("keys");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found: build it with mvn -pl router-service -am package");
        }
        Vertx expertVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        StandInExpert expert = new StandInExpert("bench", "127.0.0.1", 0, expertVertx).start();
        Path config = writeConfig(expert.baseUrl());
        int routerPort = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("switchboard-bench-router", ".log");
        Path keysFile = Files.createTempFile("switchboard-bench-keys", ".yaml");
        Files.writeString(keysFile, """
                tenants:
                  - name: bench
                    models: ["*"]
                    keys: [bench-key]
                    limits: {requestsPerMinute: 100000000, tokensPerMinute: 100000000000, concurrentRequests: 100000,
                             budget: {tokens: 1000000000000000, period: 24h}}
                """);
        AUTHORIZATION = keys ? "Bearer bench-key" : null;
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-Dquarkus.http.port=" + routerPort,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dswitchboard.standalone.config-dir=" + config,
                "-Dquarkus.log.level=WARN"));
        if (!auth.equals("legacy")) {
            command.add("-Dswitchboard.auth.mode=" + (keys ? "api-keys" : "open"));
            command.add("-Dswitchboard.auth.keys-file=" + keysFile);
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process router = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.println("router " + jar + " (" + auth + ")");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        VERTX_FOR_TIMERS = vertx;
        try {
            int statusPort = awaitReady(new int[] {managementPort, routerPort}, router, log);
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(600));
            // JIT warm-up of both paths before anything is recorded.
            System.out.println("warming up...");
            run(client, routerPort, "/v1/chat/completions", "bench-static", false, "warm-up router", 64,
                    warmup.multipliedBy(2), Duration.ofSeconds(1));
            run(client, routerPort, "/v1/route", "bench-coe", true, "warm-up route", 4, warmup,
                    Duration.ofSeconds(1));
            List<Result> results = new ArrayList<>();
            for (int concurrency : new int[]{1, 64, 512}) {
                results.add(run(client, expert.port(), "/v1/chat/completions", "bench", false, "direct",
                        concurrency, warmup, measure));
                results.add(run(client, routerPort, "/v1/chat/completions", "bench-static", false, "router",
                        concurrency, warmup, measure));
            }
            Result route = run(client, routerPort, "/v1/route", "bench-coe", true, "route (category, MiniLM)", 1,
                    warmup, measure);
            Result routeProxy = run(client, routerPort, "/v1/chat/completions", "bench-coe", true,
                    "router (category, MiniLM)", 1, warmup, measure);
            String metrics = get(statusPort, "/q/metrics");
            metrics.lines().filter(l -> l.startsWith("switchboard_requests_in_flight")
                    || l.startsWith("switchboard_upstream_in_flight")).forEach(l -> System.out.println("  " + l));
            print(results, route, routeProxy, metrics);
        } finally {
            router.destroy();
            router.waitFor(10, TimeUnit.SECONDS);
            vertx.close();
            expert.close();
            expertVertx.close();
        }
    }

    private static Result run(HttpClient client, int port, String uri, String model, boolean varyQuestions,
                              String target, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perWorker = new ArrayList<>();
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int w = 0; w < concurrency; w++) {
            long[] samples = new long[Math.max(1 << 12, (1 << 22) / concurrency)];
            perWorker.add(samples);
            int worker = w;
            loop(client, port, uri, model, varyQuestions, worker, samples, counts, measureFrom, end, errors, done, 0);
        }
        if (!done.await(warmup.plus(measure).toSeconds() + 40, TimeUnit.SECONDS)) {
            // Reported, not fatal: the samples taken so far are still valid.
            System.out.println("    WARNING: " + done.getCount() + " of " + concurrency + " clients of " + target
                    + " still waiting on a response 40 s after the deadline");
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(perWorker.get(w), 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        Result r = new Result(target, concurrency, total, errors.get(), measure.toNanos() / 1e9, all);
        System.out.printf(Locale.ROOT, "  %-26s %4d clients: %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d"
                        + " (no response within 20 s: %d)%n", target, concurrency, r.rps(), r.percentileMs(50),
                r.percentileMs(99), r.errors(), STUCK.getAndSet(0));
        return r;
    }

    private static void loop(HttpClient client, int port, String uri, String model, boolean vary, int worker,
                             long[] samples, int[] counts, long measureFrom, long end, AtomicLong errors,
                             CountDownLatch done, int iteration) {
        long sent = System.nanoTime();
        if (sent >= end) {
            done.countDown();
            return;
        }
        // Distinct texts defeat the encoder's embedding cache, so decisions really embed each query.
        String question = vary ? QUESTIONS[(worker + iteration) % QUESTIONS.length] + " (" + worker + "-" + iteration
                + ")" : "What is 2 + 2?";
        Buffer body = new JsonObject().put("model", model).put("max_tokens", 16).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", question))).toBuffer();
        // A watchdog per request: a response that never comes is counted and the client moves on, so one lost
        // request cannot stall a whole measurement.
        boolean[] settled = {false};
        Runnable next = () -> loop(client, port, uri, model, vary, worker, samples, counts, measureFrom, end, errors,
                done, iteration + 1);
        long watchdog = VERTX_FOR_TIMERS.setTimer(20_000, id -> {
            synchronized (settled) {
                if (settled[0]) {
                    return;
                }
                settled[0] = true;
            }
            STUCK.incrementAndGet();
            errors.incrementAndGet();
            next.run();
        });
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(uri).setIdleTimeout(15_000).putHeader("content-type", "application/json");
        if (AUTHORIZATION != null) {
            options.putHeader("authorization", AUTHORIZATION);
        }
        client.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    synchronized (settled) {
                        if (settled[0]) {
                            return;
                        }
                        settled[0] = true;
                    }
                    VERTX_FOR_TIMERS.cancelTimer(watchdog);
                    long now = System.nanoTime();
                    if (ar.failed() || ar.result() != 200) {
                        if (errors.incrementAndGet() <= 3) {
                            System.out.println("    error: " + (ar.failed() ? ar.cause() : "HTTP " + ar.result()));
                        }
                    } else if (sent >= measureFrom && now <= end && counts[worker] < samples.length) {
                        samples[counts[worker]++] = now - sent;
                    }
                    next.run();
                });
    }

    private static void print(List<Result> results, Result route, Result routeProxy, String metrics) {
        StringBuilder out = new StringBuilder("\n| clients | direct p50 | router p50 | direct p99 | router p99 |"
                + " added p50 | direct req/s | router req/s |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Result d = results.get(i);
            Result r = results.get(i + 1);
            out.append(String.format(Locale.ROOT, "| %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.0f | %.0f |%n",
                    d.concurrency(), d.percentileMs(50), r.percentileMs(50), d.percentileMs(99), r.percentileMs(99),
                    r.percentileMs(50) - d.percentileMs(50), d.rps(), r.rps()));
        }
        out.append(String.format(Locale.ROOT, "%nRouting decision, category policy with MiniLM (1 client):%n"
                        + "  POST /v1/route (HTTP round trip incl. decision): p50 %.3f ms, p99 %.3f ms, %.0f req/s%n"
                        + "  chat completion through the router:              p50 %.3f ms, p99 %.3f ms%n",
                route.percentileMs(50), route.percentileMs(99), route.rps(), routeProxy.percentileMs(50),
                routeProxy.percentileMs(99)));
        out.append("  router-side switchboard_routing_duration_seconds: ").append(meanFromMetrics(metrics,
                "switchboard_routing_duration_seconds")).append('\n');
        System.out.println(out);
    }

    /** Mean of a Prometheus timer from its _sum and _count (all requests, static and category). */
    private static String meanFromMetrics(String metrics, String name) {
        double sum = 0;
        double count = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "_sum")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith(name + "_count")) {
                count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count == 0 ? "n/a" : String.format(Locale.ROOT, "mean %.3f ms over %.0f requests", sum / count * 1000,
                count);
    }

    static Path writeConfig(String expertUrl) throws IOException {
        Path dir = Files.createTempDirectory("switchboard-bench-config");
        String demo;
        try (var in = ProxyOverheadBenchmark.class.getClassLoader().getResourceAsStream("demo/switchboard-demo.yaml")) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // The demo policy with every expert pointed at the one stand-in, plus a static policy and the bare expert.
        Files.writeString(dir.resolve("demo.yaml"), demo.replaceAll("http://127\\.0\\.0\\.1:181\\d\\d/v1", expertUrl)
                .replace("modelName: switchboard-coe", "modelName: bench-coe"));
        Files.writeString(dir.resolve("bench.yaml"), """
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: bench}
                spec:
                  external: {url: "%s"}
                ---
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: bench-static}
                spec:
                  modelName: bench-static
                  experts: {names: [bench]}
                  strategy: {type: static, static: {experts: [{name: bench, weight: 1}]}}
                """.formatted(expertUrl));
        return dir;
    }

    /** Waits until one of {@code ports} answers /q/health/ready (the management port, or the client port of a
     * router built before it had one) and returns it. */
    static int awaitReady(int[] ports, Process router, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!router.isAlive()) {
                throw new IllegalStateException("router exited: " + Files.readString(log));
            }
            for (int port : ports) {
                try {
                    HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return port;
                    }
                } catch (IOException e) {
                    // not listening (yet)
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("router not ready within 90 s; log: " + log);
    }

    static String get(int port, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
