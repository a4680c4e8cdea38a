package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.router.openai.OpenAiRequest;
import dev.switchboard.router.overload.DecisionPools;
import io.vertx.core.Future;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Runs a policy's strategy where it belongs: the cheap ones listed in switchboard.event-loop-strategies on the
 * event loop, every other one on a bounded {@link DecisionPools} pool (encoders, or model calls for blocking
 * strategies), so a millisecond-long embedding or a model call never stalls the streams relayed on the same event
 * loop, and a full pool sheds instead of queueing. The result arrives on the request's event loop either way.
 */
final class StrategyRunner {
    private final DecisionPools pools;
    private final Set<String> eventLoopStrategies;

    StrategyRunner(DecisionPools pools, Set<String> eventLoopStrategies) {
        this.pools = pools;
        this.eventLoopStrategies = Set.copyOf(eventLoopStrategies);
    }

    /** A decision and the time the strategy took to make it (not counting the wait for a pool thread). */
    record Timed(Decision decision, long nanos) {
    }

    /** @param cancelled true once the client left: a decision still queued then is not run */
    Future<Timed> decide(PolicyRoute policy, OpenAiRequest request, BooleanSupplier cancelled) {
        RoutingStrategy strategy = policy.strategy();
        if (strategy.blocking() || !eventLoopStrategies.contains(strategy.type())) {
            // A strategy that calls a model may forward the whole request (metaLLM answering itself); a Responses
            // API body is no chat request: such a strategy gets the text only.
            boolean forwardBody = strategy.blocking() && !request.apiPath().equals(OpenAiRequest.RESPONSES);
            Query query = forwardBody ? new Query(request.query().text(), request.query().systemPrompt(),
                    request.body().encode()) : request.query();
            return pools.run(strategy.blocking(), () -> timed(strategy, query, policy), cancelled);
        }
        try {
            return Future.succeededFuture(timed(strategy, request.query(), policy));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static Timed timed(RoutingStrategy strategy, Query query, PolicyRoute policy) {
        long started = System.nanoTime();
        Decision decision = strategy.decide(query, policy);
        return new Timed(decision, System.nanoTime() - started);
    }
}
