package dev.switchboard.router.picking;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Chat requests of multi-turn conversations and experts with several replicas, for the picker's tests. */
final class Conversations {
    static final String SYSTEM = "You are a careful assistant. Answer in short paragraphs, cite your sources, and "
            + "say so when you are unsure. Never invent facts. Prefer plain words to jargon.";

    private Conversations() {
    }

    /** Turn {@code turn} (0-based) of conversation {@code id}: the system prompt and every earlier exchange. */
    static JsonObject turn(int id, int turn) {
        JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM));
        for (int t = 0; t <= turn; t++) {
            messages.add(new JsonObject().put("role", "user").put("content",
                    "Conversation " + id + ", question " + t + ": tell me more about topic " + (id * 31 + t) % 97));
            if (t < turn) {
                messages.add(new JsonObject().put("role", "assistant").put("content",
                        "Here is what I know about topic " + (id * 31 + t) % 97 + ", in a few sentences of text."));
            }
        }
        return new JsonObject().put("model", "m").put("messages", messages);
    }

    static ExpertInfo expert(int replicas) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            endpoints.add(new Endpoint("http://10.0.0." + (i + 1) + ":8000/v1"));
        }
        return expert(endpoints);
    }

    static ExpertInfo expert(List<Endpoint> endpoints) {
        return new ExpertInfo("chat", "ns", "chat", "chat", endpoints, null, Set.of(), "", List.of(), true, Map.of(),
                0);
    }

    static ExpertInfo without(ExpertInfo expert, Endpoint gone) {
        List<Endpoint> left = new ArrayList<>(expert.endpoints());
        left.remove(gone);
        return expert(left);
    }
}
