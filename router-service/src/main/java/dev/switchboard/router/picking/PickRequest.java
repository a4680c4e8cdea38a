package dev.switchboard.router.picking;

import io.vertx.core.json.JsonObject;

/**
 * What the picker reads from one request, worked out once however many attempts the request takes: its prompt
 * blocks (only when a picking type needs them) and its session key. Not thread-safe: one exchange, one event loop.
 */
public final class PickRequest {
    private final JsonObject body;
    private final String session;
    private PromptBlocks blocks;

    /**
     * @param body    the OpenAI request body (read, never changed)
     * @param session the session key (see {@link SessionKeys}), or null
     */
    public PickRequest(JsonObject body, String session) {
        this.body = body;
        this.session = session;
    }

    public PromptBlocks blocks() {
        if (blocks == null) {
            blocks = PromptBlocks.of(body);
        }
        return blocks;
    }

    public String session() {
        return session;
    }
}
