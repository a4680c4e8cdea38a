package dev.switchboard.router.shadow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The text of an OpenAI answer as a judge reads it: the first choice's message content (chat) or text
 * (completions), from a whole JSON answer or from the SSE events of a stream (their deltas joined). Anything else
 * is kept as it is. At most {@code maxChars} characters.
 */
final class AnswerText {
    private AnswerText() {
    }

    static String of(String raw, int maxChars) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        String text;
        if (s.startsWith("{")) {
            text = whole(s);
        } else if (s.startsWith("data:")) {
            text = stream(s);
        } else {
            text = s;
        }
        return text != null && text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    private static String whole(String json) {
        try {
            JsonObject choice = firstChoice(new JsonObject(json));
            if (choice == null) {
                return json;
            }
            JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : null;
            Object content = message != null ? message.getValue("content") : choice.getValue("text");
            return content instanceof String c ? c : json;
        } catch (RuntimeException e) {
            return json;
        }
    }

    private static String stream(String sse) {
        StringBuilder out = new StringBuilder();
        for (String line : sse.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("data:")) {
                continue;
            }
            String data = l.substring(5).strip();
            if (data.isEmpty() || data.equals("[DONE]")) {
                continue;
            }
            try {
                JsonObject choice = firstChoice(new JsonObject(data));
                if (choice == null) {
                    continue;
                }
                JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : null;
                Object content = delta != null ? delta.getValue("content") : choice.getValue("text");
                if (content instanceof String c) {
                    out.append(c);
                }
            } catch (RuntimeException e) {
                // a partial event (the capture was cut): the text so far stands
            }
        }
        return out.toString();
    }

    private static JsonObject firstChoice(JsonObject answer) {
        JsonArray choices = answer.getValue("choices") instanceof JsonArray a ? a : null;
        return choices != null && !choices.isEmpty() && choices.getValue(0) instanceof JsonObject c ? c : null;
    }
}
