package dev.switchboard.router.picking;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PromptBlocksTest {
    @Test
    void aLaterTurnExtendsTheHashesOfAnEarlierOneAndKeepsItsConversationKey() {
        PromptBlocks t0 = PromptBlocks.of(Conversations.turn(3, 0));
        PromptBlocks t2 = PromptBlocks.of(Conversations.turn(3, 2));
        assertThat(t2.blocks()).isGreaterThan(t0.blocks());
        assertThat(Arrays.copyOf(t2.hashes(), t0.blocks())).containsExactly(t0.hashes());
        assertThat(t2.conversationKey()).isEqualTo(t0.conversationKey());
        assertThat(PromptBlocks.of(Conversations.turn(4, 0)).conversationKey()).isNotEqualTo(t0.conversationKey());
    }

    @Test
    void blocksEndingBeforeTheFirstUserMessageEndsMayBeCommonToConversations() {
        PromptBlocks a = PromptBlocks.of(Conversations.turn(1, 2));
        int userEnd = ("system\n" + Conversations.SYSTEM + "\n\nuser\n"
                + Conversations.turn(1, 0).getJsonArray("messages").getJsonObject(1).getString("content")).length();
        assertThat(a.commonBlocks()).isEqualTo((userEnd + PromptBlocks.BLOCK_CHARS - 1) / PromptBlocks.BLOCK_CHARS - 1);
        // the first block past them holds the end of the first user message: it tells conversations apart
        PromptBlocks b = PromptBlocks.of(Conversations.turn(2, 2));
        assertThat(a.hashes()[a.commonBlocks()]).isNotEqualTo(b.hashes()[b.commonBlocks()]);
        int systemBlocks = ("system\n" + Conversations.SYSTEM).length() / PromptBlocks.BLOCK_CHARS;
        assertThat(Arrays.copyOf(a.hashes(), systemBlocks)).containsExactly(Arrays.copyOf(b.hashes(), systemBlocks));
    }

    @Test
    void completionPromptsContentPartsAndBadBodies() {
        PromptBlocks prompt = PromptBlocks.of(new JsonObject().put("prompt", "x".repeat(200)));
        assertThat(prompt.blocks()).isEqualTo(3);
        assertThat(prompt.commonBlocks()).isZero();
        JsonObject parts = new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "y".repeat(130))))));
        assertThat(PromptBlocks.of(parts).blocks()).isEqualTo(2);
        assertThat(PromptBlocks.of(new JsonObject().put("messages", "nope")).blocks()).isZero();
        assertThat(PromptBlocks.of(null).blocks()).isZero();
    }

    @Test
    void veryLongPromptsAreCappedAtMaxBlocks() {
        PromptBlocks huge = PromptBlocks.of(new JsonObject().put("prompt",
                "z".repeat(PromptBlocks.MAX_BLOCKS * PromptBlocks.BLOCK_CHARS * 2)));
        assertThat(huge.blocks()).isEqualTo(PromptBlocks.MAX_BLOCKS);
    }
}
