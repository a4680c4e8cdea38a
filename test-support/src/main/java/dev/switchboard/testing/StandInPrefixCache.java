package dev.switchboard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in's model of vLLM's automatic prefix caching: the prompt (chat messages in order, or the completion
 * prompt) in blocks of {@value #BLOCK_TOKENS} tokens of {@value #CHARS_PER_TOKEN} characters, each block identified
 * by the whole text up to its end, kept in an LRU of a bounded number of blocks. A prompt hits the blocks of its
 * longest cached prefix; all its full blocks are cached afterwards. Thread-safe.
 */
public final class StandInPrefixCache {
    public static final int CHARS_PER_TOKEN = 4;
    public static final int BLOCK_TOKENS = 16;
    static final int BLOCK_CHARS = BLOCK_TOKENS * CHARS_PER_TOKEN;

    /** What one prompt found: its length and how much of it was cached, in tokens. */
    public record Lookup(int promptTokens, int cachedTokens) {
        public int uncachedTokens() {
            return promptTokens - cachedTokens;
        }
    }

    private final int capacityBlocks;
    private final LinkedHashMap<Long, Boolean> blocks;

    public StandInPrefixCache(int capacityBlocks) {
        this.capacityBlocks = capacityBlocks;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > StandInPrefixCache.this.capacityBlocks;
            }
        };
    }

    public int capacityBlocks() {
        return capacityBlocks;
    }

    /** Looks the prompt up and caches it. */
    public Lookup admit(String prompt) {
        int full = prompt.length() / BLOCK_CHARS;
        long[] ids = new long[full];
        long h = 1125899906842597L;
        for (int b = 0; b < full; b++) {
            for (int i = b * BLOCK_CHARS; i < (b + 1) * BLOCK_CHARS; i++) {
                h = 31 * h + prompt.charAt(i);
            }
            ids[b] = h ^ (h >>> 29);
        }
        int promptTokens = (prompt.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
        if (capacityBlocks <= 0) {
            return new Lookup(promptTokens, 0);
        }
        synchronized (blocks) {
            int hit = 0;
            while (hit < full && blocks.get(ids[hit]) != null) {
                hit++;
            }
            for (int b = 0; b < full; b++) {
                blocks.put(ids[b], Boolean.TRUE);
            }
            return new Lookup(promptTokens, hit * BLOCK_TOKENS);
        }
    }

    public int size() {
        synchronized (blocks) {
            return blocks.size();
        }
    }

    /** The prompt text as the model sees it: each message's role and content, in order; or the prompt. */
    static String promptText(JsonObject request) {
        StringBuilder sb = new StringBuilder();
        JsonArray messages = request.getJsonArray("messages");
        if (messages != null) {
            for (Object m : messages) {
                if (m instanceof JsonObject msg) {
                    sb.append('<').append(msg.getValue("role")).append(">\n");
                    Object content = msg.getValue("content");
                    if (content instanceof JsonArray parts) {
                        for (Object p : parts) {
                            if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                                sb.append(t);
                            }
                        }
                    } else if (content != null) {
                        sb.append(content);
                    }
                    sb.append('\n');
                }
            }
            return sb.toString();
        }
        Object prompt = request.getValue("prompt");
        return prompt == null ? "" : String.valueOf(prompt);
    }
}
