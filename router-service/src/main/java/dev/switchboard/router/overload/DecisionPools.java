package dev.switchboard.router.overload;

import dev.switchboard.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The bounded pools where decisions that must not run on the event loop run: one for in-process encoders (CPU
 * bound: as many threads as cores), one for strategies that call a model (metaLLM: they wait on I/O). Each admits at
 * most its threads plus its queue; beyond that a decision is refused at once ({@link Saturated}, a 503), so a flood
 * of slow metaLLM requests cannot make an unrelated category decision wait. A decision whose client left while it
 * was queued is skipped.
 */
@ApplicationScoped
public class DecisionPools {
    private final Pool encoders;
    private final Pool models;

    public DecisionPools(Vertx vertx, RouterConfig config) {
        RouterConfig.Overload o = config.overload();
        int cpu = o.decisionThreads() > 0 ? o.decisionThreads() : Runtime.getRuntime().availableProcessors();
        this.encoders = new Pool(vertx, "switchboard-decisions", cpu, o.decisionQueue());
        this.models = new Pool(vertx, "switchboard-model-decisions", Math.max(1, o.modelDecisionThreads()),
                o.modelDecisionQueue());
    }

    /**
     * Runs {@code decision} on the pool for its kind; the result arrives on the caller's context. Fails at once
     * with {@link Saturated} when the pool is full, and with {@link Cancelled} when {@code cancelled} turned true
     * before the decision started.
     */
    public <T> Future<T> run(boolean callsModel, Callable<T> decision, BooleanSupplier cancelled) {
        return (callsModel ? models : encoders).run(decision, cancelled);
    }

    void stop(@Observes ShutdownEvent event) {
        encoders.executor.close();
        models.executor.close();
    }

    /** The pool is full: the decision was not queued. */
    public static final class Saturated extends RuntimeException {
        Saturated(String pool, int bound) {
            super(pool + " is full (" + bound + " decisions running or queued)", null, false, false);
        }
    }

    /** The client left before its decision started. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("the client left before the decision started", null, false, false);
        }
    }

    private static final class Pool {
        final WorkerExecutor executor;
        final String name;
        final int bound;
        final AtomicInteger admitted = new AtomicInteger();

        Pool(Vertx vertx, String name, int threads, int queue) {
            this.executor = vertx.createSharedWorkerExecutor(name, threads);
            this.name = name;
            this.bound = threads + Math.max(0, queue);
        }

        <T> Future<T> run(Callable<T> decision, BooleanSupplier cancelled) {
            if (admitted.incrementAndGet() > bound) {
                admitted.decrementAndGet();
                return Future.failedFuture(new Saturated(name, bound));
            }
            return executor.<T>executeBlocking(() -> {
                if (cancelled.getAsBoolean()) {
                    throw new Cancelled();
                }
                return decision.call();
            }, false).andThen(ar -> admitted.decrementAndGet());
        }
    }
}
