package dev.switchboard.router.proxy;

import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.router.metrics.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Where a {@link ProxyExchange} delivers the answer it settled on: a client's response, or a buffer for a strategy's
 * own model call. Called on the exchange's event loop. Exactly one of {@link #end}, {@link #unavailable},
 * {@link #cut} and {@link #unrelayable} ends an exchange; nothing is called after it.
 */
public interface AnswerSink {
    /**
     * The answer starts: the expert's status and headers as received (copy them with
     * {@link EndToEndHeaders#copy}); {@code failures} are the candidates tried before it and why they failed.
     */
    void head(int status, MultiMap headers, ExpertInfo expert, List<String> failures);

    void write(Buffer chunk);

    /** Backpressure: while this is true the exchange stops reading from the expert until the drain handler runs. */
    boolean writeQueueFull();

    void drainHandler(Runnable drained);

    /** The answer is complete; {@link Outcome#SUCCESS} below status 400, else {@link Outcome#UPSTREAM_ERROR}. */
    void end(Outcome outcome);

    /** No candidate could answer; one entry per candidate, e.g. "math: connectError (Connection refused)". */
    void unavailable(List<String> failures);

    /** The answer broke after the exchange committed to it (stream error, request timeout): no retry is possible. */
    void cut(ExpertInfo expert);

    /** The expert's answer could not be relayed at all, e.g. a head that cannot be copied. */
    void unrelayable(ExpertInfo expert, String reason);
}
