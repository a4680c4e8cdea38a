package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An in-process, loopback OpenAI-compatible stand-in for the vLLM-served meta model of the metaLLM strategy,
 * answering at once. It honours {@code guided_choice}: the reply is always one of the allowed strings, the one the
 * picker names if allowed, else the first; the chosen token comes with logprobs (probability {@link #PROBABILITY}).
 * A request without {@code guided_choice} (the meta model answering itself) gets "meta answers: " + the last
 * message. {@link #failNext} makes the next requests fail with HTTP 500. Used by the metaLLM tests and by the
 * decision-latency bench.
 */
public final class StandInMetaModel implements AutoCloseable {
    public static final double PROBABILITY = 0.8;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // TCP_NODELAY on the server's sockets, as asyncio sets on every TCP transport since Python 3.6 (vLLM's
        // server runs on uvicorn/asyncio). Without it the JDK server's separate header and body writes meet the
        // client's delayed ACK and every answer waits ~40 ms. Read once, when the JVM's first HttpServer starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * @param picker (last user message, allowed choices) -> the wanted choice
     * @param record keep every request for {@link #requests()} (off for benchmarks)
     */
    private StandInMetaModel(BiFunction<String, List<String>, String> picker, boolean record) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            JsonNode req = JSON.readTree(ex.getRequestBody());
            if (record) {
                requests.add(req);
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] error = "{\"error\":{\"message\":\"injected failure\"}}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(500, error.length);
                ex.getResponseBody().write(error);
                ex.close();
                return;
            }
            JsonNode messages = req.path("messages");
            String user = messages.path(messages.size() - 1).path("content").asText();
            ObjectNode resp = JSON.createObjectNode();
            ObjectNode choice = resp.putArray("choices").addObject();
            if (req.has("guided_choice")) {
                List<String> allowed = new ArrayList<>();
                req.get("guided_choice").forEach(c -> allowed.add(c.asText()));
                String want = picker.apply(user, allowed);
                String picked = allowed.contains(want) ? want : allowed.get(0);
                choice.putObject("message").put("role", "assistant").put("content", picked);
                ObjectNode tok = choice.putObject("logprobs").putArray("content").addObject();
                tok.put("token", picked).put("logprob", Math.log(PROBABILITY));
                tok.putArray("top_logprobs").addObject().put("token", picked).put("logprob", Math.log(PROBABILITY));
            } else {
                choice.putObject("message").put("role", "assistant").put("content", "meta answers: " + user);
            }
            byte[] body = JSON.writeValueAsBytes(resp);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public static StandInMetaModel start(BiFunction<String, List<String>, String> picker, boolean record)
            throws IOException {
        return new StandInMetaModel(picker, record);
    }

    /** The OpenAI base URL, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next {@code count} requests get HTTP 500. */
    public StandInMetaModel failNext(int count) {
        failures.set(count);
        return this;
    }

    /** The requests received so far, oldest first (when recording). */
    public List<JsonNode> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
