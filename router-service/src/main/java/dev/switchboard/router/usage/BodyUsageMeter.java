package dev.switchboard.router.usage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A whole (non-streaming) answer: relayed as it comes, and a copy of up to {@link #MAX_BYTES} parsed at the end for
 * its {@code usage}. A longer answer is estimated (its bytes / 4).
 */
final class BodyUsageMeter implements UsageMeter {
    static final int MAX_BYTES = 4 << 20;

    private final Buffer copy = Buffer.buffer();
    private long bytes;
    private boolean overflow;

    @Override
    public Buffer relay(Buffer chunk) {
        bytes += chunk.length();
        if (!overflow) {
            if (copy.length() + chunk.length() > MAX_BYTES) {
                overflow = true;
            } else {
                copy.appendBuffer(chunk);
            }
        }
        return chunk;
    }

    @Override
    public Buffer finish() {
        return null;
    }

    @Override
    public TokenUsage usage(long inputEstimate) {
        if (!overflow && copy.length() > 0) {
            try {
                TokenUsage read = StreamUsageMeter.usageOf(new JsonObject(copy));
                if (read != null) {
                    return read;
                }
            } catch (RuntimeException ignored) {
                // not JSON: estimated below
            }
        }
        return new TokenUsage(inputEstimate, bytes / 4, true);
    }

    @Override
    public boolean preservesLength() {
        return true;
    }
}
