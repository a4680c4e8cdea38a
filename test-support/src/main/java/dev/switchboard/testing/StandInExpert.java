package dev.switchboard.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small OpenAI-compatible server standing in for an expert LLM: in tests, the demo and the benchmarks. It answers
 * with text naming itself ("[math] ..."), streams SSE in a configurable number of chunks, and can be told to be slow
 * or to fail (HTTP 500, dropped connections). Like one vLLM replica it keeps a prefix cache of bounded size
 * ({@link StandInPrefixCache}); with {@link #prefillTokensPerMs} set, the time to the first token grows with the
 * uncached part of the prompt and with the prefill queue ahead of it. It serves its load on {@code /metrics} under
 * vLLM's metric names, and names itself on every answer in the header {@value #REPLICA_HEADER}. Behaviour can change
 * while it runs.
 */
public final class StandInExpert implements AutoCloseable {
    /** How a request is made to fail. */
    public enum Failure { HTTP_500, DROP_CONNECTION }

    /** The response header naming the replica that answered (see {@link #replicaId()}). */
    public static final String REPLICA_HEADER = "x-stand-in-replica";

    private final String name;
    private final String host;
    private final int requestedPort;
    private final boolean ownsVertx;
    private final Vertx vertx;
    private HttpServer server;

    private volatile long latencyMillis;
    private volatile long chunkDelayMillis;
    private volatile int streamChunks = 5;
    private volatile double http500Rate;
    private volatile double dropRate;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile Failure failNextKind = Failure.HTTP_500;

    private final java.util.Set<io.vertx.core.http.HttpConnection> droppedConnections =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicReference<JsonObject> lastRequest = new AtomicReference<>();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private final AtomicReference<String> lastTraceparent = new AtomicReference<>();
    private final StandInAdapters adapters = new StandInAdapters();
    private volatile String servedName;
    /** Until this System.nanoTime() the stand-in is loading its model: /health and completions answer 503. */
    private volatile long loadedAtNanos;
    private final StandInLoad load = new StandInLoad();
    private volatile StandInPrefixCache prefixCache = new StandInPrefixCache(4096);
    private volatile double prefillTokensPerMs;

    public StandInExpert(String name, String host, int port) {
        this(name, host, port, null);
    }

    /** @param vertx a Vert.x to run on, or null to create (and later close) one */
    public StandInExpert(String name, String host, int port, Vertx vertx) {
        this.name = name;
        this.host = host;
        this.requestedPort = port;
        this.ownsVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
    }

    /** Starts listening; port 0 picks a free port (see {@link #port()}). */
    public StandInExpert start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(requestedPort)
                .setTcpNoDelay(true).setCompressionSupported(false));
        server.requestHandler(this::handle);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stand-in expert " + name + " could not listen on " + host + ":"
                    + requestedPort + ": " + e.getMessage(), e);
        }
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.actualPort();
    }

    /** Base URL of its OpenAI API, as an ExpertModel's external.url or an Endpoint would name it. */
    public String baseUrl() {
        return "http://" + host + ":" + port() + "/v1";
    }

    public StandInExpert latency(Duration latency) {
        this.latencyMillis = latency.toMillis();
        return this;
    }

    public StandInExpert chunkDelay(Duration delay) {
        this.chunkDelayMillis = delay.toMillis();
        return this;
    }

    public StandInExpert streamChunks(int chunks) {
        this.streamChunks = Math.max(1, chunks);
        return this;
    }

    /** Fraction (0..1) of requests answered with HTTP 500. */
    public StandInExpert http500Rate(double rate) {
        this.http500Rate = rate;
        return this;
    }

    /** Fraction (0..1) of requests whose connection is closed without an answer. */
    public StandInExpert dropRate(double rate) {
        this.dropRate = rate;
        return this;
    }

    /** The next {@code count} requests fail in the given way (deterministic, for tests). */
    /** Blocks of 16 tokens its prefix cache holds, like vLLM's KV cache (0: no caching); default 4096. */
    public StandInExpert prefixCacheBlocks(int blocks) {
        this.prefixCache = new StandInPrefixCache(blocks);
        return this;
    }

    /**
     * Prefill speed: each answer's first token waits for the prefill queue, then for its own uncached prompt tokens
     * at this rate (4 characters a token). 0 (the default): no prefill time.
     */
    public StandInExpert prefillTokensPerMs(double tokensPerMs) {
        this.prefillTokensPerMs = tokensPerMs;
        return this;
    }

    /** How it names itself in {@value #REPLICA_HEADER}: name@port. */
    public String replicaId() {
        return name + "@" + port();
    }

    /** Prompt tokens looked up in its prefix cache, and found there ({@code vllm:prefix_cache_queries/hits}). */
    public long prefixCacheQueries() {
        return load.queriedTokens.get();
    }

    public long prefixCacheHits() {
        return load.hitTokens.get();
    }

    /** Requests being answered (prefilling or generating) and waiting for prefill, as on /metrics. */
    public int running() {
        return load.running.get();
    }

    public int waiting() {
        return load.waiting.get();
    }

    /** Its /metrics text, as vLLM would serve it. */
    public String metricsText() {
        return load.prometheus(name, prefixCache.capacityBlocks() * StandInPrefixCache.BLOCK_TOKENS);
    }

    public StandInExpert failNext(int count, Failure kind) {
        this.failNextKind = kind;
        this.failNext.set(count);
        return this;
    }

    /** The model name it serves besides its own name (vLLM --served-model-name). */
    public StandInExpert servedName(String served) {
        this.servedName = served;
        return this;
    }

    /** Simulates loading the model for {@code loadTime} from now (a cold start): not healthy until then. */
    public StandInExpert loadTime(Duration loadTime) {
        this.loadedAtNanos = System.nanoTime() + loadTime.toNanos();
        return this;
    }

    /**
     * Like vLLM with {@code --enable-lora --max-loras maxLoras} and, when {@code runtimeUpdating}, the environment
     * variable VLLM_ALLOW_RUNTIME_LORA_UPDATING=True (which mounts the load and unload endpoints).
     */
    public StandInExpert loras(int maxLoras, boolean runtimeUpdating) {
        adapters.enable(maxLoras, runtimeUpdating);
        return this;
    }

    /** Names of the LoRA adapters loaded now. */
    public java.util.Set<String> loadedAdapters() {
        return adapters.names();
    }

    /** Successful adapter loads and unloads since start. */
    public long adapterLoads() {
        return adapters.loads();
    }

    public long adapterUnloads() {
        return adapters.unloads();
    }

    private boolean loading() {
        return loadedAtNanos != 0 && System.nanoTime() - loadedAtNanos < 0;
    }

    public long requests() {
        return requests.get();
    }

    public long completed() {
        return completed.get();
    }

    /** Requests whose client went away before the answer was complete. */
    public long cancelled() {
        return cancelled.get();
    }

    public JsonObject lastRequest() {
        return lastRequest.get();
    }

    public String lastAuthorization() {
        return lastAuthorization.get();
    }

    /** The W3C trace context header of the last request, or null. */
    public String lastTraceparent() {
        return lastTraceparent.get();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (loading()) { // vLLM's server is not up while it loads the weights
            error(req.response(), 503, "[" + name + "] loading the model");
        } else if (path.equals("/metrics")) {
            req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metricsText());
        } else if (path.equals("/health")) {
            req.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
        } else if (path.equals("/v1/models")) {
            JsonObject model = new JsonObject().put("id", servedName == null ? name : servedName)
                    .put("object", "model").put("owned_by", "stand-in");
            JsonArray data = new JsonArray().add(model);
            adapters.list(data, servedName == null ? name : servedName);
            req.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
        } else if (req.method().name().equals("POST") && adapters.routesMounted()
                && (path.equals("/v1/load_lora_adapter") || path.equals("/v1/unload_lora_adapter"))) {
            req.body().onSuccess(body -> {
                JsonObject json;
                try {
                    json = body.toJsonObject();
                } catch (DecodeException e) {
                    error(req.response(), 400, "malformed JSON: " + e.getMessage());
                    return;
                }
                if (path.equals("/v1/load_lora_adapter")) {
                    adapters.load(json, req.response());
                } else {
                    adapters.unload(json, req.response());
                }
            });
        } else if (req.method().name().equals("POST")
                && (path.equals("/v1/chat/completions") || path.equals("/v1/completions")
                || path.equals("/v1/responses") || path.equals("/v1/embeddings"))) {
            req.body().onSuccess(body -> complete(req, body, path.substring("/v1".length())));
        } else {
            error(req.response(), 404, "no route " + req.method() + " " + path);
        }
    }

    private void complete(HttpServerRequest req, Buffer body, String apiPath) {
        boolean chat = apiPath.equals("/chat/completions");
        requests.incrementAndGet();
        lastAuthorization.set(req.getHeader("authorization"));
        lastTraceparent.set(req.getHeader("traceparent"));
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (DecodeException e) {
            error(req.response(), 400, "malformed JSON: " + e.getMessage());
            return;
        }
        lastRequest.set(json);
        HttpServerResponse resp = req.response();
        String model = json.getString("model");
        if (adapters.routesMounted() && model != null && !model.equals(name) && !model.equals(servedName)
                && !adapters.isLoaded(model)) {
            error(resp, 404, "The model `" + model + "` does not exist.");
            return;
        }
        // Vert.x also calls a response's end handler when the connection closes first, so ended() decides.
        resp.closeHandler(v -> {
            if (!resp.ended() && !dropped(req)) {
                cancelled.incrementAndGet();
            }
        });
        resp.putHeader(REPLICA_HEADER, replicaId());
        Failure failure = pickFailure();
        if (failure != null) {
            Runnable fail = () -> {
                if (failure == Failure.DROP_CONNECTION) {
                    droppedConnections.add(req.connection());
                    req.connection().close();
                } else {
                    error(resp, 500, "[" + name + "] injected failure");
                }
            };
            after(TimeUnit.MILLISECONDS.toNanos(latencyMillis), fail);
            return;
        }
        long arrived = System.nanoTime();
        StandInPrefixCache.Lookup prompt = prefixCache.admit(StandInPrefixCache.promptText(json));
        load.queriedTokens.addAndGet(prompt.promptTokens());
        load.hitTokens.addAndGet(prompt.cachedTokens());
        long[] prefill = load.bookPrefill(prompt.uncachedTokens(), prefillTokensPerMs, arrived);
        load.waiting.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (over.compareAndSet(false, true)) {
                load.running.decrementAndGet();
                load.runningTokens.addAndGet(-prompt.promptTokens());
            }
        };
        after(TimeUnit.MILLISECONDS.toNanos(latencyMillis) + prefill[0], () -> {
            load.waiting.decrementAndGet();
            load.running.incrementAndGet();
            load.runningTokens.addAndGet(prompt.promptTokens());
            resp.endHandler(v -> release.run());
            resp.closeHandler(v -> {
                release.run();
                if (!resp.ended() && !dropped(req)) {
                    cancelled.incrementAndGet();
                }
            });
            if (resp.closed()) {
                release.run();
                return;
            }
            after(prefill[1], () -> {
                if (resp.closed()) {
                    release.run();
                    return;
                }
                load.firstToken((System.nanoTime() - arrived) / 1e9);
                if (apiPath.equals("/embeddings")) {
                    resp.putHeader("content-type", "application/json").end(embeddings(json).toBuffer());
                    completed.incrementAndGet();
                } else if (apiPath.equals("/responses") && json.getBoolean("stream", false)) {
                    resp.setChunked(true).putHeader("content-type", "text/event-stream")
                            .putHeader("cache-control", "no-cache");
                    StandInResponses.stream(vertx, resp, name, json, answerText(json), streamChunks,
                            chunkDelayMillis, completed::incrementAndGet);
                } else if (apiPath.equals("/responses")) {
                    resp.putHeader("content-type", "application/json")
                            .end(StandInResponses.response(name, json, answerText(json), "completed").toBuffer());
                    completed.incrementAndGet();
                } else if (json.getBoolean("stream", false)) {
                    stream(resp, json, chat);
                } else {
                    resp.putHeader("content-type", "application/json").end(completion(json, chat).toBuffer());
                    completed.incrementAndGet();
                }
            });
        });
    }

    /** Runs {@code task} after {@code nanos} (at once when 0; timers have millisecond resolution). */
    private void after(long nanos, Runnable task) {
        if (nanos <= 0) {
            task.run();
        } else {
            vertx.setTimer(Math.max(1, (nanos + 999_999) / 1_000_000), id -> task.run());
        }
    }

    private boolean dropped(HttpServerRequest req) {
        return droppedConnections.remove(req.connection());
    }

    private Failure pickFailure() {
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return failNextKind;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        if (r < dropRate) {
            return Failure.DROP_CONNECTION;
        }
        if (r < dropRate + http500Rate) {
            return Failure.HTTP_500;
        }
        return null;
    }

    private String answerText(JsonObject request) {
        String model = request.getString("model");
        String who = adapters.isLoaded(model) ? model : name; // an adapter answers as itself
        return "[" + who + "] You asked: " + lastUserText(request);
    }

    private JsonObject completion(JsonObject request, boolean chat) {
        String text = answerText(request);
        JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", "stop");
        if (chat) {
            choice.put("message", new JsonObject().put("role", "assistant").put("content", text));
        } else {
            choice.put("text", text);
        }
        return new JsonObject()
                .put("id", "cmpl-" + name + "-" + requests.get())
                .put("object", chat ? "chat.completion" : "text_completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", request.getString("model", name))
                .put("choices", new JsonArray().add(choice))
                .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 10)
                        .put("total_tokens", 20));
    }

    private void stream(HttpServerResponse resp, JsonObject request, boolean chat) {
        resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        String[] words = answerText(request).split(" ");
        int chunks = streamChunks;
        String model = request.getString("model", name);
        JsonObject options = request.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
        boolean usage = Boolean.TRUE.equals(options.getValue("include_usage"));
        sendChunk(resp, words, chunks, 0, model, chat, usage);
    }

    private void sendChunk(HttpServerResponse resp, String[] words, int chunks, int index, String model, boolean chat,
                           boolean usage) {
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (index == chunks) {
            if (usage) { // as vLLM does with stream_options.include_usage: a last chunk with no choices
                resp.write("data: " + new JsonObject().put("id", "cmpl-" + name).put("object",
                        chat ? "chat.completion.chunk" : "text_completion").put("model", model)
                        .put("choices", new JsonArray()).put("usage", new JsonObject().put("prompt_tokens", 10)
                                .put("completion_tokens", chunks).put("total_tokens", 10 + chunks)).encode() + "\n\n");
            }
            resp.end("data: [DONE]\n\n");
            completed.incrementAndGet();
            return;
        }
        // Spread the answer's words over the chunks; later chunks may be empty deltas when words run out.
        int from = words.length * index / chunks;
        int to = words.length * (index + 1) / chunks;
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(i == 0 ? "" : " ").append(words[i]);
        }
        JsonObject choice = new JsonObject().put("index", 0)
                .put("finish_reason", index == chunks - 1 ? "stop" : null);
        if (chat) {
            choice.put("delta", new JsonObject().put("content", text.toString()));
        } else {
            choice.put("text", text.toString());
        }
        JsonObject chunk = new JsonObject().put("id", "cmpl-" + name).put("object",
                chat ? "chat.completion.chunk" : "text_completion").put("model", model)
                .put("choices", new JsonArray().add(choice));
        resp.write("data: " + chunk.encode() + "\n\n");
        if (chunkDelayMillis > 0) {
            vertx.setTimer(chunkDelayMillis, id -> sendChunk(resp, words, chunks, index + 1, model, chat, usage));
        } else {
            sendChunk(resp, words, chunks, index + 1, model, chat, usage);
        }
    }

    /**
     * As vLLM answers /v1/embeddings: one vector per input (deterministic, from the text's hash), usage with
     * prompt_tokens and total_tokens.
     */
    private JsonObject embeddings(JsonObject request) {
        Object input = request.getValue("input");
        JsonArray inputs = input instanceof JsonArray a ? a : new JsonArray().add(input);
        JsonArray data = new JsonArray();
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String text = String.valueOf(inputs.getValue(i));
            tokens += Math.max(1, text.split("\\s+").length);
            java.util.Random random = new java.util.Random(text.hashCode());
            float[] values = new float[8];
            for (int d = 0; d < values.length; d++) {
                values[d] = (float) (random.nextDouble() * 2 - 1);
            }
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", encoded(values, request.getString("encoding_format", "float"))));
        }
        return new JsonObject().put("id", "embd-" + name + "-" + requests.get()).put("object", "list")
                .put("created", System.currentTimeMillis() / 1000).put("model", request.getString("model", name))
                .put("data", data).put("usage", new JsonObject().put("prompt_tokens", tokens)
                        .put("total_tokens", tokens).put("completion_tokens", 0));
    }

    /** As vLLM: a JSON array of floats, or with encoding_format base64 the little-endian float32 bytes. */
    private static Object encoded(float[] values, String format) {
        if (format.equals("base64")) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                bytes.putFloat(v);
            }
            return java.util.Base64.getEncoder().encodeToString(bytes.array());
        }
        JsonArray vector = new JsonArray();
        for (float v : values) {
            vector.add(v);
        }
        return vector;
    }

    /** The text of the last user message (chat), the prompt (completions) or the input (responses). */
    static String lastUserText(JsonObject request) {
        if (request.containsKey("input") && !request.containsKey("messages")) {
            return StandInResponses.inputText(request.getValue("input"));
        }
        JsonArray messages = request.getJsonArray("messages");
        if (messages != null) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                Object m = messages.getValue(i);
                if (m instanceof JsonObject msg && "user".equals(msg.getString("role"))) {
                    Object content = msg.getValue("content");
                    return content instanceof String s ? s : String.valueOf(content);
                }
            }
            return "";
        }
        Object prompt = request.getValue("prompt");
        return prompt == null ? "" : prompt instanceof String s ? s : String.valueOf(prompt);
    }

    static void error(HttpServerResponse resp, int status, String message) {
        resp.setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("message", message)
                        .put("type", status >= 500 ? "server_error" : "invalid_request_error")).toBuffer());
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        if (ownsVertx) {
            vertx.close();
        }
    }

    /**
     * Runs stand-ins from the command line: {@code name:port[,name:port...]} and options
     * {@code --latency-ms N --chunks N --chunk-delay-ms N --fail-rate R --drop-rate R --prefix-cache-blocks N
     * --prefill-tokens-per-ms R}.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            System.err.println("usage: StandInExpert name:port[,name:port...] [--latency-ms N] [--chunks N] "
                    + "[--chunk-delay-ms N] [--fail-rate R] [--drop-rate R] [--prefix-cache-blocks N] "
                    + "[--prefill-tokens-per-ms R] [--max-loras N] [--load-time-ms N]");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx();
        java.util.List<StandInExpert> experts = new java.util.ArrayList<>();
        for (String spec : args[0].split(",")) {
            String[] parts = spec.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected name:port, got '" + spec + "'");
            }
            StandInExpert e = new StandInExpert(parts[0], "127.0.0.1", Integer.parseInt(parts[1]), vertx);
            for (int i = 1; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--latency-ms" -> e.latency(Duration.ofMillis(Long.parseLong(args[i + 1])));
                    case "--chunks" -> e.streamChunks(Integer.parseInt(args[i + 1]));
                    case "--chunk-delay-ms" -> e.chunkDelay(Duration.ofMillis(Long.parseLong(args[i + 1])));
                    case "--fail-rate" -> e.http500Rate(Double.parseDouble(args[i + 1]));
                    case "--drop-rate" -> e.dropRate(Double.parseDouble(args[i + 1]));
                    case "--prefix-cache-blocks" -> e.prefixCacheBlocks(Integer.parseInt(args[i + 1]));
                    case "--prefill-tokens-per-ms" -> e.prefillTokensPerMs(Double.parseDouble(args[i + 1]));
                    case "--max-loras" -> e.loras(Integer.parseInt(args[i + 1]), true);
                    case "--load-time-ms" -> e.loadTime(Duration.ofMillis(Long.parseLong(args[i + 1])));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            experts.add(e.start());
            System.out.println("stand-in expert " + e.name() + " at " + e.baseUrl());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            experts.forEach(StandInExpert::close);
            vertx.close();
        }));
        Thread.currentThread().join();
    }

    /** Convenience for callers that compose with futures. */
    public Future<Void> closeAsync() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
