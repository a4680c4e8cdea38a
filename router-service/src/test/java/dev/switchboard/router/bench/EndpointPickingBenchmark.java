package dev.switchboard.router.bench;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.picking.PickRequest;
import dev.switchboard.router.picking.ReplicaLoads;
import dev.switchboard.router.picking.VllmLoadScraper;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replica picking on a multi-turn chat workload (docs/benchmarks.md, "Router: picking a replica"). One expert with
 * four stand-in replicas on 127.0.0.1, each modelling vLLM (a prefix cache of 1024 blocks of 16 tokens, prefill
 * queued at a fixed token rate, vLLM's /metrics read by the router's own scraper). Users hold conversations of
 * several turns that share system prompts; each turn resends the whole history, streamed. For each picking type
 * the router's {@link EndpointPicker} picks the replica (the router's HTTP layer is left out: its overhead is in
 * "Router: proxy overhead"), and the benchmark reports the prefix-cache hit rate (tokens found cached over prompt
 * tokens, as vLLM counts them), load imbalance (max over mean of the replicas' requests in flight, averaged over
 * 10 ms samples) and time to first token. A second workload of single-turn questions that share only the system
 * prompts compares the default with least loaded where affinity cannot help. Last, the cost of one pick at 4 and
 * 100 replicas. Bounded: every run stops issuing requests after its deadline. Run with hack/bench-picking.sh.
 */
public final class EndpointPickingBenchmark {
    static final int REPLICAS = 4;
    static final int CACHE_BLOCKS = 1024;
    static final double PREFILL_TOKENS_PER_MS = 25;
    static final Duration DEADLINE = Duration.ofSeconds(150);

    record Row(String workload, String picking, double hitRate, double imbalance, double p50, double p99,
               long requests, long errors, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        List<Row> rows = new ArrayList<>();
        for (EndpointPicking.Type type : new EndpointPicking.Type[]{EndpointPicking.Type.ROUND_ROBIN,
                EndpointPicking.Type.LEAST_LOADED, EndpointPicking.Type.PREFIX_AFFINITY}) {
            rows.add(run("multi-turn", type, conversations, turns, users));
        }
        for (EndpointPicking.Type type : new EndpointPicking.Type[]{EndpointPicking.Type.LEAST_LOADED,
                EndpointPicking.Type.PREFIX_AFFINITY}) {
            rows.add(run("single-turn, unrelated questions", type, conversations * turns / 2, 1, users));
        }
        System.out.printf(Locale.ROOT, "%n%d conversations x %d turns, %d users at once, %d replicas (prefix cache "
                        + "%d blocks of 16 tokens, prefill %.0f tokens/ms)%n%n", conversations, turns, users, REPLICAS,
                CACHE_BLOCKS, PREFILL_TOKENS_PER_MS);
        System.out.println("| workload | picking | prefix-cache hit rate | load imbalance (max/mean in flight) "
                + "| TTFT p50 ms | TTFT p99 ms | requests (errors) | wall s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f %% | %.2f | %.1f | %.1f | %d (%d) | %.1f |%n", r.workload,
                    r.picking, r.hitRate * 100, r.imbalance, r.p50, r.p99, r.requests, r.errors, r.seconds);
        }
        pickingCost();
    }

    static Row run(String workload, EndpointPicking.Type type, int conversations, int turns, int users)
            throws InterruptedException {
        Vertx standInVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<StandInExpert> replicas = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            StandInExpert r = new StandInExpert("chat", "127.0.0.1", 0, standInVertx).prefixCacheBlocks(CACHE_BLOCKS)
                    .prefillTokensPerMs(PREFILL_TOKENS_PER_MS).streamChunks(4).chunkDelay(Duration.ofMillis(5))
                    .start();
            replicas.add(r);
            endpoints.add(new Endpoint(r.baseUrl()));
        }
        ExpertInfo expert = new ExpertInfo("chat", "bench", "chat", "chat", endpoints, null, Set.of(), "", List.of(),
                true, Map.of(), 0);
        RoutingTable table = new RoutingTable(1, Map.of(), Map.of("chat", expert));
        ReplicaLoads loads = new ReplicaLoads(Duration.ofSeconds(2));
        EndpointPicker picker = new EndpointPicker(100_000, 100_000, loads);
        VllmLoadScraper scraper = new VllmLoadScraper(vertx, () -> table, loads, metricsEvery(Duration.ofMillis(200)));
        scraper.start();
        EndpointPicking settings = EndpointPicking.DEFAULT.withType(type);
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        endpoints.forEach(e -> inFlight.put(e.baseUrl(), new AtomicInteger()));
        EndpointPicker.InFlight counts = e -> inFlight.get(e.baseUrl()).get();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(users));
        long[] ttft = new long[conversations * turns];
        AtomicInteger ttftCount = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicInteger nextConversation = new AtomicInteger();
        double[] imbalance = {0, 0};
        long sampler = vertx.setPeriodic(10, id -> {
            int max = 0;
            int total = 0;
            for (AtomicInteger c : inFlight.values()) {
                max = Math.max(max, c.get());
                total += c.get();
            }
            if (total > 0) {
                imbalance[0] += max / (total / (double) REPLICAS);
                imbalance[1]++;
            }
        });
        long started = System.nanoTime();
        long deadline = started + DEADLINE.toNanos();
        CountDownLatch done = new CountDownLatch(users);
        for (int u = 0; u < users; u++) {
            vertx.runOnContext(v -> new User(client, picker, expert, settings, counts, inFlight, turns, conversations,
                    nextConversation, ttft, ttftCount, errors, deadline, done).next());
        }
        if (!done.await(DEADLINE.toSeconds() + 60, TimeUnit.SECONDS)) {
            System.out.println("WARNING: " + done.getCount() + " users still busy 60 s after the deadline");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        vertx.cancelTimer(sampler);
        scraper.stop();
        long hits = replicas.stream().mapToLong(StandInExpert::prefixCacheHits).sum();
        long queries = replicas.stream().mapToLong(StandInExpert::prefixCacheQueries).sum();
        long[] sorted = Arrays.copyOf(ttft, ttftCount.get());
        Arrays.sort(sorted);
        Row row = new Row(workload, type.label(), queries == 0 ? 0 : hits / (double) queries,
                imbalance[1] == 0 ? 0 : imbalance[0] / imbalance[1], percentileMs(sorted, 50),
                percentileMs(sorted, 99), sorted.length, errors.get(), seconds);
        System.out.printf(Locale.ROOT, "%s, %s: %s%n", workload, type.label(), row);
        client.close();
        replicas.forEach(StandInExpert::close);
        vertx.close();
        standInVertx.close();
        return row;
    }

    /** One user: holds conversations one after the other, each turn after the previous answer. */
    static final class User {
        final HttpClient client;
        final EndpointPicker picker;
        final ExpertInfo expert;
        final EndpointPicking settings;
        final EndpointPicker.InFlight counts;
        final Map<String, AtomicInteger> inFlight;
        final int turns;
        final int conversations;
        final AtomicInteger nextConversation;
        final long[] ttft;
        final AtomicInteger ttftCount;
        final AtomicLong errors;
        final long deadline;
        final CountDownLatch done;
        int conversation = -1;
        int turn;
        JsonArray messages;

        User(HttpClient client, EndpointPicker picker, ExpertInfo expert, EndpointPicking settings,
             EndpointPicker.InFlight counts, Map<String, AtomicInteger> inFlight, int turns, int conversations,
             AtomicInteger nextConversation, long[] ttft, AtomicInteger ttftCount, AtomicLong errors, long deadline,
             CountDownLatch done) {
            this.client = client;
            this.picker = picker;
            this.expert = expert;
            this.settings = settings;
            this.counts = counts;
            this.inFlight = inFlight;
            this.turns = turns;
            this.conversations = conversations;
            this.nextConversation = nextConversation;
            this.ttft = ttft;
            this.ttftCount = ttftCount;
            this.errors = errors;
            this.deadline = deadline;
            this.done = done;
        }

        void next() {
            if (System.nanoTime() > deadline) {
                done.countDown();
                return;
            }
            if (conversation < 0 || turn >= turns) {
                conversation = nextConversation.getAndIncrement();
                if (conversation >= conversations) {
                    done.countDown();
                    return;
                }
                turn = 0;
                messages = new JsonArray().add(new JsonObject().put("role", "system")
                        .put("content", Workload.systemPrompt(conversation % Workload.SYSTEM_PROMPTS)));
            }
            messages.add(new JsonObject().put("role", "user").put("content",
                    Workload.userTurn(conversation, turn, turns == 1)));
            JsonObject body = new JsonObject().put("model", "chat").put("stream", true).put("messages", messages);
            Endpoint endpoint = picker.pick(expert, settings, new PickRequest(body, null), counts).endpoint();
            AtomicInteger slot = inFlight.get(endpoint.baseUrl());
            slot.incrementAndGet();
            java.net.URI uri = java.net.URI.create(endpoint.baseUrl());
            long start = System.nanoTime();
            boolean[] first = {true};
            Buffer answer = Buffer.buffer();
            client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                            .setPort(uri.getPort()).setURI("/v1/chat/completions")
                            .putHeader("content-type", "application/json"))
                    .compose(req -> req.send(body.toBuffer()))
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            slot.decrementAndGet();
                            errors.incrementAndGet();
                            turn = turns;
                            next();
                            return;
                        }
                        ar.result().handler(chunk -> {
                            if (first[0]) {
                                first[0] = false;
                                int at = ttftCount.getAndIncrement();
                                if (at < ttft.length) {
                                    ttft[at] = System.nanoTime() - start;
                                }
                            }
                            answer.appendBuffer(chunk);
                        });
                        ar.result().exceptionHandler(t -> errors.incrementAndGet());
                        ar.result().endHandler(v -> {
                            slot.decrementAndGet();
                            messages.add(new JsonObject().put("role", "assistant").put("content",
                                    Workload.streamedText(answer.toString())));
                            turn++;
                            next();
                        });
                    });
        }
    }

    /** The cost of one pick (prompt parsing and hashing included), at 4 and 100 replicas. */
    static void pickingCost() {
        List<JsonObject> bodies = new ArrayList<>();
        for (int c = 0; c < 500; c++) {
            JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system")
                    .put("content", Workload.systemPrompt(c % Workload.SYSTEM_PROMPTS)));
            for (int t = 0; t < 4; t++) {
                messages.add(new JsonObject().put("role", "user").put("content", Workload.userTurn(c, t, false)));
                messages.add(new JsonObject().put("role", "assistant").put("content", Workload.userTurn(c, t, false)));
            }
            bodies.add(new JsonObject().put("model", "chat").put("messages", messages));
        }
        System.out.printf(Locale.ROOT, "%nPicking cost per request (prompt of ~%d characters):%n%n",
                bodies.get(0).encode().length());
        System.out.println("| replicas | picking | mean µs | p50 µs | p99 µs |");
        System.out.println("|---|---|---|---|---|");
        Random random = new Random(7);
        for (int n : new int[]{4, 100}) {
            List<Endpoint> endpoints = new ArrayList<>();
            int[] load = new int[n];
            Map<String, Integer> index = new ConcurrentHashMap<>();
            for (int i = 0; i < n; i++) {
                endpoints.add(new Endpoint("http://10.0." + (i / 250) + "." + (i % 250) + ":8000/v1"));
                index.put(endpoints.get(i).baseUrl(), i);
                load[i] = random.nextInt(8);
            }
            ExpertInfo expert = new ExpertInfo("chat", "bench", "chat", "chat", endpoints, null, Set.of(), "",
                    List.of(), true, Map.of(), 0);
            EndpointPicker.InFlight counts = e -> load[index.get(e.baseUrl())];
            for (EndpointPicking.Type type : EndpointPicking.Type.values()) {
                EndpointPicker picker = new EndpointPicker(100_000, 100_000, new ReplicaLoads(Duration.ofSeconds(2)));
                EndpointPicking settings = EndpointPicking.DEFAULT.withType(type);
                for (int i = 0; i < 30_000; i++) {
                    picker.pick(expert, settings, new PickRequest(bodies.get(i % bodies.size()), null), counts);
                }
                long[] samples = new long[100_000];
                long total = 0;
                for (int i = 0; i < samples.length; i++) {
                    JsonObject body = bodies.get(i % bodies.size());
                    long t0 = System.nanoTime();
                    picker.pick(expert, settings, new PickRequest(body, null), counts);
                    samples[i] = System.nanoTime() - t0;
                    total += samples[i];
                }
                Arrays.sort(samples);
                System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f |%n", n, type.label(),
                        total / 1e3 / samples.length, samples[samples.length / 2] / 1e3,
                        samples[samples.length * 99 / 100] / 1e3);
            }
        }
    }

    static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static RouterConfig.PickingMetrics metricsEvery(Duration interval) {
        return new RouterConfig.PickingMetrics() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(500);
            }

            @Override
            public int concurrency() {
                return 4;
            }
        };
    }

    /** Deterministic text: system prompts of ~2000 characters, user turns of ~250-400. */
    static final class Workload {
        static final int SYSTEM_PROMPTS = 4;
        private static final String[] WORDS = words();

        static String systemPrompt(int i) {
            return "System prompt " + i + ". " + text(new Random(1000 + i), 300);
        }

        static String userTurn(int conversation, int turn, boolean unique) {
            return (unique ? "Request " : "Conversation ") + conversation + ", turn " + turn + ": "
                    + text(new Random(conversation * 131L + turn), 40 + (conversation + turn) % 25);
        }

        /** The text of an SSE answer: the concatenated deltas. */
        static String streamedText(String sse) {
            StringBuilder sb = new StringBuilder();
            for (String line : sse.split("\n")) {
                if (line.startsWith("data: {")) {
                    JsonObject chunk = new JsonObject(line.substring(6));
                    JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
                    if (delta != null && delta.getString("content") != null) {
                        sb.append(delta.getString("content"));
                    }
                }
            }
            return sb.toString();
        }

        private static String text(Random r, int words) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < words; i++) {
                sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            return sb.append('.').toString();
        }

        private static String[] words() {
            Random r = new Random(42);
            String[] w = new String[500];
            for (int i = 0; i < w.length; i++) {
                StringBuilder sb = new StringBuilder();
                int len = 2 + r.nextInt(8);
                for (int k = 0; k < len; k++) {
                    sb.append((char) ('a' + r.nextInt(26)));
                }
                w[i] = sb.toString();
            }
            return w;
        }
    }
}
