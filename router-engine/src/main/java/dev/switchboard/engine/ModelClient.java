package dev.switchboard.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a strategy calls a model (metaLLM asking its meta model): through whoever runs the engine. The router
 * implements it with the client it proxies with, so such a call gets the same endpoint balancing, circuit breakers,
 * timeouts, failover and upstream metrics as a client's request. Strategies get it when they are built (see
 * {@code StrategyRegistry.standard(ModelClient)}).
 */
public interface ModelClient {
    /** For an engine without a router: every call fails at once, so strategies that call models fall back. */
    ModelClient NONE = (plan, apiPath, body) -> CompletableFuture.failedFuture(
            new ModelCallException("no model client: this engine runs without the router"));

    /**
     * Sends an OpenAI request along {@code plan}, with {@code model} set to each candidate's upstream model.
     * Completes with the answer the caller would relay (any status), or fails with a {@link ModelCallException}
     * saying why no candidate answered.
     *
     * @param apiPath the OpenAI path after /v1, e.g. /chat/completions
     * @param body    the request, a JSON object
     */
    CompletionStage<ModelReply> call(RoutePlan plan, String apiPath, String body);

    /**
     * {@link #call} and wait, for strategies that decide on a worker thread ({@link RoutingStrategy#blocking()});
     * never on an event loop, which may be the one that has to deliver the answer.
     */
    default ModelReply await(RoutePlan plan, String apiPath, String body)
            throws ModelCallException, InterruptedException {
        // The client enforces the plan's timeouts; this bound only keeps a worker from waiting forever on one that
        // does not.
        long limitMillis = plan.timeouts().request().toMillis() + 5_000;
        try {
            return call(plan, apiPath, body).toCompletableFuture().get(limitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof ModelCallException m ? m : new ModelCallException(String.valueOf(cause), cause);
        } catch (TimeoutException e) {
            throw new ModelCallException("no answer within " + plan.timeouts().request());
        }
    }
}
