package dev.switchboard.router.openai;

import dev.switchboard.engine.Query;
import dev.switchboard.engine.encoder.TextClipper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A parsed OpenAI completion request: its JSON (whose {@code model} the proxy rewrites per expert), the model
 * the client named, whether it streams, and the query text a strategy routes on.
 *
 * @param apiPath the OpenAI path after /v1, e.g. /chat/completions
 */
public record OpenAiRequest(JsonObject body, String model, boolean stream, Query query, String apiPath) {
    public static final String CHAT = "/chat/completions";
    public static final String COMPLETIONS = "/completions";
    public static final String RESPONSES = "/responses";
    public static final String EMBEDDINGS = "/embeddings";

    /** /v1/embeddings: answered by an embedding expert, never routed. */
    public boolean embeddings() {
        return apiPath.equals(EMBEDDINGS);
    }

    /** Parses and validates a body; throws {@link OpenAiError.Failure} naming what is wrong. */
    public static OpenAiRequest parse(Buffer raw, String apiPath) {
        if (raw == null || raw.length() == 0) {
            throw OpenAiError.badRequest("request body is empty; expected a JSON object", null, "invalid_json")
                    .asFailure();
        }
        JsonObject body;
        try {
            body = raw.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw OpenAiError.badRequest("malformed JSON body: " + firstLine(e.getMessage()), null, "invalid_json")
                    .asFailure();
        }
        if (body == null) {
            throw OpenAiError.badRequest("request body must be a JSON object", null, "invalid_json").asFailure();
        }
        Object model = body.getValue("model");
        if (!(model instanceof String m) || m.isBlank()) {
            throw OpenAiError.badRequest(model == null ? "missing required parameter 'model'"
                    : "'model' must be a non-empty string", "model", "missing_model").asFailure();
        }
        Object stream = body.getValue("stream");
        if (stream != null && !(stream instanceof Boolean)) {
            throw OpenAiError.badRequest("'stream' must be a boolean", "stream", "invalid_type").asFailure();
        }
        Query query = switch (apiPath) {
            case COMPLETIONS -> promptQuery(body);
            case RESPONSES -> ResponsesInput.query(body);
            case EMBEDDINGS -> embeddingInput(body);
            default -> chatQuery(body);
        };
        return new OpenAiRequest(body, m, Boolean.TRUE.equals(stream), query, apiPath);
    }

    private static Query chatQuery(JsonObject body) {
        Object messages = body.getValue("messages");
        if (messages == null) {
            throw OpenAiError.badRequest("missing required parameter 'messages'", "messages", "missing_messages")
                    .asFailure();
        }
        if (!(messages instanceof JsonArray list) || list.isEmpty()) {
            throw OpenAiError.badRequest("'messages' must be a non-empty array of {role, content} objects",
                    "messages", "invalid_messages").asFailure();
        }
        String user = null;
        String system = null;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject msg) || !(msg.getValue("role") instanceof String role)) {
                throw OpenAiError.badRequest("messages[" + i + "] must be an object with a string 'role'",
                        "messages", "invalid_messages").asFailure();
            }
            String text = contentText(msg.getValue("content"));
            if (role.equals("user")) {
                user = text;
            } else if (system == null && (role.equals("system") || role.equals("developer"))) {
                system = text;
            }
        }
        if (user == null) {
            // No user turn (e.g. only a system prompt): route on the last message's text.
            user = contentText(list.getJsonObject(list.size() - 1).getValue("content"));
        }
        return new Query(clip(user), system == null ? null : clip(system), null);
    }

    /** Embeddings are not routed: the input is checked, nothing is kept to route on. */
    private static Query embeddingInput(JsonObject body) {
        Object input = body.getValue("input");
        if (input == null) {
            throw OpenAiError.badRequest("missing required parameter 'input'", "input", "missing_input").asFailure();
        }
        boolean valid = input instanceof String s ? !s.isEmpty()
                : input instanceof JsonArray a && !a.isEmpty() && a.stream().allMatch(v -> v instanceof String
                || v instanceof Number || v instanceof JsonArray inner && inner.stream().allMatch(Number.class::isInstance));
        if (!valid) {
            throw OpenAiError.badRequest("'input' must be a non-empty string, array of strings, array of token ids "
                    + "or array of token-id arrays", "input", "invalid_input").asFailure();
        }
        return new Query("");
    }

    private static Query promptQuery(JsonObject body) {
        Object prompt = body.getValue("prompt");
        if (prompt == null) {
            throw OpenAiError.badRequest("missing required parameter 'prompt'", "prompt", "missing_prompt")
                    .asFailure();
        }
        if (prompt instanceof String s) {
            return new Query(clip(s));
        }
        if (prompt instanceof JsonArray a && !a.isEmpty() && a.getValue(a.size() - 1) instanceof String s) {
            return new Query(clip(s));
        }
        throw OpenAiError.badRequest("'prompt' must be a string or a non-empty array of strings", "prompt",
                "invalid_prompt").asFailure();
    }

    /**
     * The text strategies route on keeps its head and tail when it is long: encoders read a few hundred word pieces
     * anyway, and a megabyte prompt would otherwise be copied, hashed and held by every stage of the decision.
     */
    static String clip(String text) {
        return TextClipper.clip(text, MAX_ROUTED_CHARS);
    }

    /** Longest text a strategy sees of one request. */
    public static final int MAX_ROUTED_CHARS = 8192;

    /** Content is a string or an array of parts; text parts are joined. */
    static String contentText(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(t);
                }
            }
            return sb.toString();
        }
        return "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not JSON";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
