package dev.switchboard.router.proxy;

import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.ModelReply;
import dev.switchboard.engine.RoutePlan;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's {@link ModelClient} in the router: a strategy's model call (metaLLM's meta model) is one more
 * {@link ProxyExchange} along its plan, so it shares the client requests' connection pool, endpoint balancing,
 * circuit breakers, timeouts, failover and upstream metrics. It counts in no decision metric and no client
 * request: the client request it serves is counted once, by its own exchange.
 */
@ApplicationScoped
public class RouterModelClient implements ModelClient {
    private final Vertx vertx;
    private final ExpertProxy proxy;

    public RouterModelClient(Vertx vertx, ExpertProxy proxy) {
        this.vertx = vertx;
        this.proxy = proxy;
    }

    @Override
    public CompletionStage<ModelReply> call(RoutePlan plan, String apiPath, String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ModelCallException("the request is not a JSON object: "
                    + e.getMessage()));
        }
        BufferedAnswer answer = new BufferedAnswer();
        UpstreamRequest request = new UpstreamRequest(apiPath, json, null, null,
                Boolean.TRUE.equals(json.getValue("stream")));
        // A strategy deciding on a worker runs within its request's context: the call then runs on that request's
        // event loop, like the request itself.
        io.vertx.core.Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            try {
                RequestModelCalls.register(context, proxy.send(request, plan, answer), answer);
            } catch (RuntimeException e) {
                answer.failed(e);
            }
        });
        return answer.reply();
    }
}
