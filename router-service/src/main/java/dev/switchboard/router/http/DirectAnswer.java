package dev.switchboard.router.http;

import dev.switchboard.router.openai.OpenAiRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An answer a strategy produced itself (metaLLM answering directly), in the OpenAI completion shape. */
final class DirectAnswer {
    private DirectAnswer() {
    }

    /** In the shape of the endpoint asked: a Responses API response, else a (chat) completion. */
    static JsonObject of(OpenAiRequest request, String text) {
        return request.apiPath().equals(OpenAiRequest.RESPONSES) ? response(request, text) : completion(request, text);
    }

    static JsonObject response(OpenAiRequest request, String text) {
        String id = "resp_switchboard" + System.nanoTime();
        JsonObject part = new JsonObject().put("type", "output_text").put("text", text)
                .put("annotations", new JsonArray());
        JsonObject message = new JsonObject().put("type", "message").put("id", "msg_" + id).put("status", "completed")
                .put("role", "assistant").put("content", new JsonArray().add(part));
        return new JsonObject().put("id", id).put("object", "response")
                .put("created_at", System.currentTimeMillis() / 1000).put("status", "completed")
                .put("model", request.model()).put("output", new JsonArray().add(message))
                .put("error", null).put("incomplete_details", null).put("instructions", null)
                .put("metadata", new JsonObject()).put("parallel_tool_calls", true).put("temperature", 1.0)
                .put("top_p", 1.0).put("tool_choice", "auto").put("tools", new JsonArray());
    }

    static JsonObject completion(OpenAiRequest request, String text) {
        boolean chat = request.apiPath().equals("/chat/completions");
        JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", "stop");
        if (chat) {
            choice.put("message", new JsonObject().put("role", "assistant").put("content", text));
        } else {
            choice.put("text", text);
        }
        return new JsonObject().put("id", "switchboard-" + System.nanoTime())
                .put("object", chat ? "chat.completion" : "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", request.model())
                .put("choices", new JsonArray().add(choice));
    }
}
