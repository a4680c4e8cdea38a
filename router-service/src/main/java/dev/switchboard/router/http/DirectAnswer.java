package dev.switchboard.router.http;

import dev.switchboard.router.openai.OpenAiRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An answer a strategy produced itself (metaLLM answering directly), in the OpenAI completion shape. */
final class DirectAnswer {
    private DirectAnswer() {
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
