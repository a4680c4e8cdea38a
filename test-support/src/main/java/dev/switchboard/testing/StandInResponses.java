package dev.switchboard.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The stand-in's Responses API (POST /v1/responses), shaped as vLLM answers it: a {@code response} object, or
 * with {@code stream: true} the typed events {@code response.created}, {@code response.output_text.delta} (one per
 * chunk), {@code response.output_text.done} and {@code response.completed}, whose response carries the usage
 * ({@code input_tokens}, {@code output_tokens}).
 */
final class StandInResponses {
    private StandInResponses() {
    }

    /** The text of {@code input}: the string, or the last user message's text. */
    static String inputText(Object input) {
        if (input instanceof String s) {
            return s;
        }
        if (input instanceof JsonArray items) {
            for (int i = items.size() - 1; i >= 0; i--) {
                if (items.getValue(i) instanceof JsonObject item && "user".equals(item.getString("role"))) {
                    Object content = item.getValue("content");
                    if (content instanceof JsonArray parts) {
                        StringBuilder sb = new StringBuilder();
                        for (Object p : parts) {
                            if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                                sb.append(t);
                            }
                        }
                        return sb.toString();
                    }
                    return String.valueOf(content);
                }
            }
        }
        return "";
    }

    static JsonObject response(String name, JsonObject request, String text, String status) {
        String id = "resp_" + name + System.nanoTime();
        JsonArray output = new JsonArray();
        JsonObject usage = null;
        if (status.equals("completed")) {
            output.add(new JsonObject().put("type", "message").put("id", "msg_" + id).put("status", "completed")
                    .put("role", "assistant").put("content", new JsonArray().add(new JsonObject()
                            .put("type", "output_text").put("text", text).put("annotations", new JsonArray())
                            .put("logprobs", new JsonArray()))));
            int out = text.split(" ").length;
            usage = new JsonObject().put("input_tokens", 10)
                    .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
                    .put("output_tokens", out)
                    .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
                    .put("total_tokens", 10 + out);
        }
        return new JsonObject().put("id", id).put("object", "response")
                .put("created_at", System.currentTimeMillis() / 1000).put("status", status)
                .put("model", request.getString("model", name)).put("output", output)
                .put("error", null).put("incomplete_details", null)
                .put("instructions", request.getValue("instructions")).put("metadata", new JsonObject())
                .put("parallel_tool_calls", true).put("temperature", 1.0).put("top_p", 1.0)
                .put("tool_choice", "auto").put("tools", new JsonArray())
                .put("store", request.getValue("store", false)).put("usage", usage);
    }

    static void stream(Vertx vertx, HttpServerResponse resp, String name, JsonObject request, String text,
                       int chunks, long chunkDelayMillis, Runnable completed) {
        JsonObject created = response(name, request, text, "in_progress");
        String itemId = "msg_" + created.getString("id");
        event(resp, new JsonObject().put("type", "response.created").put("sequence_number", 0)
                .put("response", created));
        String[] words = text.split(" ");
        send(vertx, resp, name, request, words, text, itemId, chunks, 0, chunkDelayMillis, completed);
    }

    private static void send(Vertx vertx, HttpServerResponse resp, String name, JsonObject request, String[] words,
                             String text, String itemId, int chunks, int index, long delay, Runnable completed) {
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (index == chunks) {
            event(resp, new JsonObject().put("type", "response.output_text.done").put("sequence_number", chunks + 1)
                    .put("item_id", itemId).put("output_index", 0).put("content_index", 0).put("text", text)
                    .put("logprobs", new JsonArray()));
            event(resp, new JsonObject().put("type", "response.completed").put("sequence_number", chunks + 2)
                    .put("response", response(name, request, text, "completed")));
            resp.end();
            completed.run();
            return;
        }
        int from = words.length * index / chunks;
        int to = words.length * (index + 1) / chunks;
        StringBuilder delta = new StringBuilder();
        for (int i = from; i < to; i++) {
            delta.append(i == 0 ? "" : " ").append(words[i]);
        }
        event(resp, new JsonObject().put("type", "response.output_text.delta").put("sequence_number", index + 1)
                .put("item_id", itemId).put("output_index", 0).put("content_index", 0)
                .put("delta", delta.toString()).put("logprobs", new JsonArray()));
        Runnable next = () -> send(vertx, resp, name, request, words, text, itemId, chunks, index + 1, delay,
                completed);
        if (delay > 0) {
            vertx.setTimer(delay, id -> next.run());
        } else {
            next.run();
        }
    }

    private static void event(HttpServerResponse resp, JsonObject event) {
        resp.write("event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n");
    }
}
