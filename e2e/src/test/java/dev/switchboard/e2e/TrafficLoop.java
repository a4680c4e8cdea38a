package dev.switchboard.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Continuous chat-completion traffic from a few clients, counting every failure (bounded in time). */
final class TrafficLoop implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService clients;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong ok = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    TrafficLoop(String baseUrl, String model, int concurrency, List<String> questions) {
        clients = Executors.newFixedThreadPool(concurrency);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int c = 0; c < concurrency; c++) {
            int offset = c;
            clients.submit(() -> {
                int i = offset;
                while (running.get() && System.nanoTime() < deadline) {
                    String question = questions.get(i++ % questions.size());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                            .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat(model, question, false)))
                            .build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(60, TimeUnit.SECONDS);
    }
}
