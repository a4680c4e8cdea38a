package dev.switchboard.router.bench;

import dev.switchboard.testing.StandInExpert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router under hostile load, for docs/benchmarks.md: (1) "flood": distinct 1 MB prompts to the category policy
 * (MiniLM) from 4 clients, the router's heap sampled from /q/metrics each second, liveness at the end; (2) "shed":
 * twice as many concurrent clients as switchboard.overload.max-in-flight against an expert answering in 100 ms.
 * The router runs from a packaged jar (any version: one without a management port or API keys ignores those
 * settings) with -Xmx512m, on 127.0.0.1; every loop is bounded in count and time.
 * Usage: GatewayBenchmark JAR flood|shed [legacy]   (legacy: a router built before API keys and overload bounds)
 */
public final class GatewayBenchmark {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String mode = args.length > 1 ? args[1] : "flood";
        StandInExpert expert = new StandInExpert("bench", "127.0.0.1", 0).start();
        if (mode.equals("shed")) {
            expert.latency(Duration.ofMillis(100));
        }
        Path config = ProxyOverheadBenchmark.writeConfig(expert.baseUrl());
        int port = ProxyOverheadBenchmark.freePort();
        int management = ProxyOverheadBenchmark.freePort();
        Path log = Files.createTempFile("switchboard-gateway-bench", ".log");
        int maxInFlight = 64;
        boolean legacy = args.length > 2 && args[2].equals("legacy"); // built before: refuses unknown settings
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                "-Dquarkus.management.host=127.0.0.1", "-Dswitchboard.standalone.config-dir=" + config,
                "-Dquarkus.log.level=WARN"));
        if (!legacy) {
            command.add("-Dswitchboard.auth.mode=open");
            command.add("-Dswitchboard.overload.max-in-flight=" + maxInFlight);
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process router = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int status = ProxyOverheadBenchmark.awaitReady(new int[] {management, port}, router, log);
            System.out.println("router " + jar + " (status port " + (status == management ? "management" : "client")
                    + ")");
            if (mode.equals("shed")) {
                shed(port, maxInFlight * 2, Duration.ofSeconds(15));
            } else {
                flood(port, status, router, 900, Duration.ofSeconds(180));
            }
        } finally {
            router.destroy();
            router.waitFor(10, TimeUnit.SECONDS);
            router.destroyForcibly();
            expert.close();
        }
    }

    private static void flood(int port, int statusPort, Process router, int prompts, Duration bound)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String filler = "lorem ipsum ".repeat(83_000); // ~1 MB, under the 1 MiB body limit with the JSON around it
        Tally<Integer> statuses = new Tally<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicLong maxHeap = new AtomicLong();
        AtomicLong maxLive = new AtomicLong();
        long deadline = System.nanoTime() + bound.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            clients.submit(() -> {
                int i;
                while ((i = sent.getAndIncrement()) < prompts && System.nanoTime() < deadline) {
                    String text = "question " + i + ": " + filler + " (" + i + ")";
                    String body = "{\"model\":\"bench-coe\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                            + "\"}]}";
                    try {
                        statuses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode());
                    } catch (Exception e) {
                        statuses.add(-1);
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        long start = System.nanoTime();
        int reported = 0;
        while (!clients.awaitTermination(1, TimeUnit.SECONDS)) {
            maxHeap.accumulateAndGet(heap(statusPort), Math::max);
            maxLive.accumulateAndGet(metric(statusPort, "jvm_gc_live_data_size_bytes"), Math::max);
            if (statuses.size() >= reported + 100) {
                reported = statuses.size() / 100 * 100;
                System.out.printf(Locale.ROOT, "  after %d prompts (%.0f s): answers %s; heap used max %d MiB, live "
                                + "after GC max %d MiB; /q/health/live %d%n", statuses.size(),
                        (System.nanoTime() - start) / 1e9, statuses.counts(), maxHeap.get() >> 20,
                        maxLive.get() >> 20, health(statusPort, "/q/health/live"));
            }
        }
        maxHeap.accumulateAndGet(heap(statusPort), Math::max);
        maxLive.accumulateAndGet(metric(statusPort, "jvm_gc_live_data_size_bytes"), Math::max);
        double seconds = (System.nanoTime() - start) / 1e9;
        int live = health(statusPort, "/q/health/live");
        System.out.printf(Locale.ROOT, "flood: %d distinct ~1 MB prompts in %.1f s; answers %s; heap used max %d MiB, "
                        + "live after GC max %d MiB (now %d MiB); /q/health/live %d; router alive %s%n",
                statuses.size(), seconds, statuses.counts(), maxHeap.get() >> 20, maxLive.get() >> 20,
                metric(statusPort, "jvm_gc_live_data_size_bytes") >> 20, live, router.isAlive());
    }

    private static void shed(int port, int clients, Duration length) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Tally<Integer> statuses = new Tally<>();
        List<Long> okNanos = Collections.synchronizedList(new ArrayList<>());
        List<Long> shedNanos = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"bench-static\",\"messages\":"
                                        + "[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.add(r.statusCode());
                        (r.statusCode() == 200 ? okNanos : shedNanos).add(System.nanoTime() - t0);
                        if (r.statusCode() == 503) {
                            Thread.sleep(r.headers().firstValue("retry-after").map(Long::parseLong).orElse(0L)
                                    * 1000 / 10); // a tenth of Retry-After: an impatient client
                        }
                    } catch (Exception e) {
                        statuses.add(-1);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(length.toSeconds() + 40, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "shed: %d clients (2x max-in-flight 64), expert 100 ms, %d s: answers %s; "
                        + "200s p50 %.1f ms p99 %.1f ms (%.0f/s); 503s p50 %.2f ms p99 %.2f ms%n", clients,
                length.toSeconds(), statuses.counts(), pct(okNanos, 50), pct(okNanos, 99),
                okNanos.size() / (double) length.toSeconds(), pct(shedNanos, 50), pct(shedNanos, 99));
    }

    private static double pct(List<Long> nanos, double p) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1)) / 1e6;
    }

    private static String metrics(int statusPort) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort
                + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long heap(int statusPort) {
        try {
            return metrics(statusPort).lines()
                    .filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The sum of one metric's series (e.g. jvm_gc_live_data_size_bytes: heap still live after the last GC). */
    private static long metric(int statusPort, String name) {
        try {
            return metrics(statusPort).lines()
                    .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int health(int statusPort, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + statusPort + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Counts of values, e.g. statuses. */
    private static final class Tally<K extends Comparable<K>> {
        private final ConcurrentHashMap<K, AtomicInteger> counts = new ConcurrentHashMap<>();

        void add(K k) {
            counts.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        }

        int size() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        String counts() {
            StringBuilder sb = new StringBuilder();
            counts.keySet().stream().sorted().forEach(k -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(": ")
                    .append(counts.get(k).get()));
            return sb.toString();
        }
    }
}
