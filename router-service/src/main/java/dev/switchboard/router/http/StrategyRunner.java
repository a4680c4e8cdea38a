package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.router.openai.OpenAiRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Set;

/**
 * Runs a policy's strategy where it belongs: the cheap ones listed in switchboard.event-loop-strategies on the
 * event loop, every other one on the worker pool, so a millisecond-long embedding or a model call never stalls
 * the streams relayed on the same event loop. The result arrives on the request's event loop either way.
 */
final class StrategyRunner {
    private final Vertx vertx;
    private final Set<String> eventLoopStrategies;

    StrategyRunner(Vertx vertx, Set<String> eventLoopStrategies) {
        this.vertx = vertx;
        this.eventLoopStrategies = Set.copyOf(eventLoopStrategies);
    }

    Future<Decision> decide(PolicyRoute policy, OpenAiRequest request) {
        RoutingStrategy strategy = policy.strategy();
        if (strategy.blocking() || !eventLoopStrategies.contains(strategy.type())) {
            // A strategy that calls a model may forward the whole request (metaLLM answering itself).
            Query query = strategy.blocking() ? new Query(request.query().text(), request.query().systemPrompt(),
                    request.body().encode()) : request.query();
            return vertx.executeBlocking(() -> strategy.decide(query, policy), false);
        }
        try {
            return Future.succeededFuture(strategy.decide(request.query(), policy));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
