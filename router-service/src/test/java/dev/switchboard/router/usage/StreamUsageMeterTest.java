package dev.switchboard.router.usage;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage read from a server-sent-events stream split anywhere, the usage event dropped only when asked. */
class StreamUsageMeterTest {
    private static final String STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\n"
            + "data: [DONE]\n\n";

    private static String relayInPieces(UsageMeter meter, int piece) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < STREAM.length(); i += piece) {
            out.append(meter.relay(Buffer.buffer(STREAM.substring(i, Math.min(STREAM.length(), i + piece)))));
        }
        Buffer rest = meter.finish();
        if (rest != null) {
            out.append(rest);
        }
        return out.toString();
    }

    @Test
    void theUsageEventAskedForTheClientIsReadAndDroppedWhereverChunksSplit() {
        for (int piece : new int[] {1, 5, 17, 64, 1000}) {
            UsageMeter meter = UsageMeter.of(true, true);
            String out = relayInPieces(meter, piece);
            assertThat(out).doesNotContain("usage").contains("\"a\"").contains("\"b\"").endsWith("data: [DONE]\n\n");
            assertThat(meter.usage(99)).isEqualTo(new TokenUsage(7, 2, false));
            assertThat(meter.preservesLength()).isFalse();
        }
    }

    @Test
    void theUsageEventTheClientAskedForIsRelayed() {
        UsageMeter meter = UsageMeter.of(true, false);
        assertThat(relayInPieces(meter, 13)).isEqualTo(STREAM);
        assertThat(meter.usage(99).output()).isEqualTo(2);
    }

    @Test
    void aStreamCutBeforeItsUsageIsEstimatedFromItsEvents() {
        UsageMeter meter = UsageMeter.of(true, true);
        meter.relay(Buffer.buffer(STREAM.substring(0, STREAM.indexOf("data: {\"choices\":[],"))));
        assertThat(meter.usage(40)).isEqualTo(new TokenUsage(40, 2, true));
    }

    @Test
    void aWholeAnswerIsReadFromItsBody() {
        UsageMeter meter = UsageMeter.of(false, false);
        meter.relay(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"hi\"}}],"));
        meter.relay(Buffer.buffer("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}"));
        assertThat(meter.usage(0)).isEqualTo(new TokenUsage(3, 4, false));
    }

    @Test
    void theResponsesApiUsageIsReadFromResponseCompletedWhereverChunksSplit() {
        String stream = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"usage\":null}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":"
                + "{\"input_tokens\":12,\"output_tokens\":3,\"total_tokens\":15}}}\n\n";
        for (int piece : new int[] {1, 7, 40, 1000}) {
            UsageMeter meter = UsageMeter.of(true, false);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < stream.length(); i += piece) {
                out.append(meter.relay(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + piece)))));
            }
            Buffer rest = meter.finish();
            if (rest != null) {
                out.append(rest);
            }
            assertThat(out.toString()).isEqualTo(stream);
            assertThat(meter.usage(99)).isEqualTo(new TokenUsage(12, 3, false));
        }
        UsageMeter whole = UsageMeter.of(false, false);
        whole.relay(Buffer.buffer("{\"object\":\"response\",\"usage\":{\"input_tokens\":5,\"output_tokens\":9}}"));
        assertThat(whole.usage(99)).isEqualTo(new TokenUsage(5, 9, false));
    }
}
