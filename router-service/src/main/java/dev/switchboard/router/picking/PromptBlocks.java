package dev.switchboard.router.picking;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A request's prompt as vLLM's prefix cache sees it, approximately: the text (chat messages in order, or the
 * completion prompt) cut into blocks of {@value #BLOCK_CHARS} characters (about one 16-token KV block), each block
 * hashed together with all blocks before it. Two prompts share their first k hashes exactly when they share their
 * first k blocks, so the hashes name cached prefixes.
 *
 * @param hashes          chained hashes of the full blocks, at most {@value #MAX_BLOCKS}
 * @param commonBlocks    how many leading blocks conversations may have in common: every block that ends before the
 *                        end of the first user message (a system prompt, and first words many users type alike); a
 *                        match longer than this covers the conversation's whole first message, so it is this
 *                        conversation (0 for completion prompts: any shared prefix counts)
 * @param conversationKey a hash of the text up to the end of the first user message, the same on every turn of one
 *                        conversation
 */
public record PromptBlocks(long[] hashes, int commonBlocks, long conversationKey) {
    public static final int BLOCK_CHARS = 64;
    public static final int MAX_BLOCKS = 2048;
    /** Completion prompts (no first user message) are keyed by this many leading characters. */
    static final int COMPLETION_KEY_CHARS = 256;

    static final PromptBlocks EMPTY = new PromptBlocks(new long[0], 0, 0);

    /** The blocks of an OpenAI chat or completion request body; empty when it has neither messages nor a prompt. */
    public static PromptBlocks of(JsonObject body) {
        if (body == null) {
            return EMPTY;
        }
        StringBuilder text = new StringBuilder(1024);
        int userStart = -1;
        int userEnd = -1;
        if (body.getValue("messages") instanceof JsonArray messages) {
            for (Object m : messages) {
                if (text.length() >= MAX_BLOCKS * BLOCK_CHARS) {
                    break;
                }
                if (m instanceof JsonObject msg) {
                    Object role = msg.getValue("role");
                    text.append(role instanceof String r ? r : "").append('\n');
                    boolean firstUser = userStart < 0 && "user".equals(role);
                    if (firstUser) {
                        userStart = text.length();
                    }
                    appendContent(text, msg.getValue("content"));
                    if (firstUser) {
                        userEnd = text.length();
                    }
                    text.append("\n\n");
                }
            }
        } else {
            Object prompt = body.getValue("prompt");
            if (prompt instanceof String s) {
                text.append(s);
            } else if (prompt instanceof JsonArray parts) {
                for (Object p : parts) {
                    text.append(p instanceof String s ? s : String.valueOf(p));
                }
            }
        }
        int length = Math.min(text.length(), MAX_BLOCKS * BLOCK_CHARS);
        if (length == 0) {
            return EMPTY;
        }
        int keyEnd = userEnd >= 0 ? userEnd : Math.min(length, COMPLETION_KEY_CHARS);
        int commonBlocks = userEnd >= 0 ? (Math.min(userEnd, length) + BLOCK_CHARS - 1) / BLOCK_CHARS - 1 : 0;
        return of(text, length, commonBlocks, keyEnd);
    }

    /** The blocks of plain text, keyed by its first {@code keyChars} characters. */
    public static PromptBlocks ofText(CharSequence text, int keyChars) {
        int length = Math.min(text.length(), MAX_BLOCKS * BLOCK_CHARS);
        return of(text, length, 0, Math.min(length, keyChars));
    }

    private static PromptBlocks of(CharSequence text, int length, int commonBlocks, int keyEnd) {
        long[] hashes = new long[length / BLOCK_CHARS];
        long chained = 0x2545F4914F6CDD1DL;
        for (int b = 0; b < hashes.length; b++) {
            chained = Hashing.mix(chained * 0x9E3779B97F4A7C15L + Hashing.fnv(text, b * BLOCK_CHARS,
                    (b + 1) * BLOCK_CHARS));
            hashes[b] = chained;
        }
        long key = Hashing.mix(Hashing.fnv(text, 0, Math.min(keyEnd, length)) ^ 0x5851F42D4C957F2DL);
        return new PromptBlocks(hashes, Math.min(commonBlocks, hashes.length), key);
    }

    public int blocks() {
        return hashes.length;
    }

    private static void appendContent(StringBuilder text, Object content) {
        if (content instanceof String s) {
            text.append(s);
        } else if (content instanceof JsonArray parts) {
            for (Object p : parts) {
                if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                    text.append(t).append('\n');
                }
            }
        }
    }
}
