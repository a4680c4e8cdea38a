package dev.switchboard.router.shadow;

import io.vertx.core.buffer.Buffer;

import java.util.concurrent.CompletableFuture;

/**
 * The answer a client got, as relayed, captured for a sampled shadow comparison: at most a bounded number of bytes
 * (the text is cut there), completed with the expert that answered when the answer is over, or failed when it was
 * not (the client left, no expert answered). Written on the request's event loop.
 */
public final class LiveAnswer {
    private final int maxBytes;
    private final Buffer captured = Buffer.buffer();
    private final CompletableFuture<String[]> done = new CompletableFuture<>();

    LiveAnswer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A chunk relayed to the client. */
    public void relayed(Buffer chunk) {
        int room = maxBytes - captured.length();
        if (room > 0) {
            captured.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
        }
    }

    /** The answer is over, from {@code expert}. */
    public void answered(String expert) {
        done.complete(new String[] {expert, captured.toString()});
    }

    /** There is no answer to compare (the client left, no expert could answer, the answer broke off). */
    public void lost() {
        done.completeExceptionally(new IllegalStateException("the live answer was not completed"));
    }

    /** {expert, raw answer} */
    CompletableFuture<String[]> done() {
        return done;
    }
}
