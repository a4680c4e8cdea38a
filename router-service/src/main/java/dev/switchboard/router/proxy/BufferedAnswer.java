package dev.switchboard.router.proxy;

import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelReply;
import dev.switchboard.router.metrics.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The sink of a strategy's model call: the answer the exchange settled on, collected whole into a reply. */
final class BufferedAnswer implements AnswerSink {
    private final CompletableFuture<ModelReply> reply = new CompletableFuture<>();
    private final Buffer body = Buffer.buffer();
    private String expert;
    private int status;

    CompletionStage<ModelReply> reply() {
        return reply;
    }

    /** The asker's client left: the call was stopped. */
    void cancelled() {
        reply.completeExceptionally(new ModelCallException("the client left; the call was stopped"));
    }

    /** The exchange could not even start. */
    void failed(Throwable cause) {
        reply.completeExceptionally(new ModelCallException("the call could not be sent: " + cause, cause));
    }

    @Override
    public void head(int status, MultiMap headers, ExpertInfo expert, List<String> failures) {
        this.expert = expert.name();
        this.status = status;
    }

    @Override
    public void write(Buffer chunk) {
        body.appendBuffer(chunk);
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void drainHandler(Runnable drained) {
        // never full
    }

    @Override
    public void end(Outcome outcome) {
        reply.complete(new ModelReply(expert, status, body.toString()));
    }

    @Override
    public void unavailable(List<String> failures) {
        reply.completeExceptionally(new ModelCallException(String.join("; ", failures)));
    }

    @Override
    public void cut(ExpertInfo expert) {
        reply.completeExceptionally(new ModelCallException(expert.name() + ": the answer broke off"));
    }

    @Override
    public void unrelayable(ExpertInfo expert, String reason) {
        reply.completeExceptionally(new ModelCallException(expert.name() + ": the answer could not be read ("
                + reason + ")"));
    }
}
