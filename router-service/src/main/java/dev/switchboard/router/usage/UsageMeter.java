package dev.switchboard.router.usage;

import io.vertx.core.buffer.Buffer;

/**
 * Reads an answer's token usage on its way to the client. {@link #relay} returns what to write for each chunk
 * received (a stream meter holds back a partial event, and drops the usage chunk the router asked for on the
 * client's behalf); {@link #finish} returns what is left when the answer ends.
 */
public interface UsageMeter {
    Buffer relay(Buffer chunk);

    Buffer finish();

    /** The usage read, or an estimate from {@code inputEstimate} and what was relayed. */
    TokenUsage usage(long inputEstimate);

    /** False when relaying changes the bytes (a dropped usage chunk): Content-Length must not be copied then. */
    boolean preservesLength();

    /** For answers whose usage is not metered (errors): relays as is, estimates nothing. */
    UsageMeter NONE = new UsageMeter() {
        @Override
        public Buffer relay(Buffer chunk) {
            return chunk;
        }

        @Override
        public Buffer finish() {
            return null;
        }

        @Override
        public TokenUsage usage(long inputEstimate) {
            return TokenUsage.NONE;
        }

        @Override
        public boolean preservesLength() {
            return true;
        }
    };

    /** The meter of a successful answer. */
    static UsageMeter of(boolean stream, boolean dropUsageChunk) {
        return stream ? new StreamUsageMeter(dropUsageChunk) : new BodyUsageMeter();
    }
}
