package dev.switchboard.router.openai;

import dev.switchboard.engine.Query;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Responses API request (POST /v1/responses) as a strategy reads it: {@code input} (a string, or items whose
 * last user message is the query) and {@code instructions} (else the first system or developer item) as the
 * system prompt. Parameters that need state kept on a server are refused: the router spreads requests over
 * experts and replicas, and vLLM keeps no responses unless its store is switched on, in memory, per process.
 */
final class ResponsesInput {
    /** Parameters that only work with a server-side store of responses or conversations. */
    private static final List<String> STATEFUL = List.of("previous_response_id", "conversation", "background");

    private ResponsesInput() {
    }

    static Query query(JsonObject body) {
        refuseServerState(body);
        Object input = body.getValue("input");
        if (input == null) {
            throw OpenAiError.badRequest("missing required parameter 'input'", "input", "missing_input").asFailure();
        }
        String system = body.getValue("instructions") instanceof String s && !s.isBlank() ? s : null;
        if (input instanceof String s) {
            return new Query(OpenAiRequest.clip(s), system == null ? null : OpenAiRequest.clip(system), null);
        }
        if (!(input instanceof JsonArray items) || items.isEmpty()) {
            throw OpenAiError.badRequest("'input' must be a string or a non-empty array of input items", "input",
                    "invalid_input").asFailure();
        }
        String user = null;
        String last = null;
        for (int i = 0; i < items.size(); i++) {
            if (!(items.getValue(i) instanceof JsonObject item)) {
                throw OpenAiError.badRequest("input[" + i + "] must be an object (an input item)", "input",
                        "invalid_input").asFailure();
            }
            // a message item ({type: message} or the short form {role, content}); other items (tool calls, their
            // outputs, reasoning) carry no question to route on
            if (!(item.getValue("role") instanceof String role)) {
                continue;
            }
            String text = OpenAiRequest.contentText(item.getValue("content"));
            last = text;
            if (role.equals("user")) {
                user = text;
            } else if (system == null && (role.equals("system") || role.equals("developer"))) {
                system = text;
            }
        }
        String routed = user != null ? user : last != null ? last : "";
        return new Query(OpenAiRequest.clip(routed), system == null ? null : OpenAiRequest.clip(system), null);
    }

    /**
     * {@code previous_response_id}, {@code conversation}, {@code background} and {@code store: true} are refused
     * with a 400 naming the parameter: the expert that would hold the response is not known to the next request
     * (any replica, any expert may answer it), and vLLM keeps none by default.
     */
    private static void refuseServerState(JsonObject body) {
        for (String param : STATEFUL) {
            Object v = body.getValue(param);
            if (v != null && !Boolean.FALSE.equals(v)) {
                throw OpenAiError.badRequest("'" + param + "' is not supported by this router: it keeps no responses "
                        + "or conversations on a server; send the whole conversation in 'input' instead", param,
                        "unsupported_parameter").asFailure();
            }
        }
        if (Boolean.TRUE.equals(body.getValue("store"))) {
            throw OpenAiError.badRequest("'store: true' is not supported by this router: responses are not stored "
                    + "(no later request could reach the expert that answered); omit it or send 'store: false'",
                    "store", "unsupported_parameter").asFailure();
        }
    }
}
