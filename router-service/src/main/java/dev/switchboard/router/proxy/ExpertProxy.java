package dev.switchboard.router.proxy;

import dev.switchboard.engine.RoutePlan;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.demand.ColdStartHolds;
import dev.switchboard.router.demand.DemandTracker;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.tracing.RouterTracing;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The router's one way to call experts: client requests and strategies' model calls alike go through it, so they
 * share the connection pool, endpoint balancing, circuit breakers, timeouts, failover and upstream metrics.
 */
@ApplicationScoped
public class ExpertProxy {
    private final ProxyExchange.Services services;

    public ExpertProxy(Vertx vertx, UpstreamClient upstream, CircuitBreakers breakers, EndpointBalancer balancer,
                       RouterMetrics metrics, RouterConfig config, EndpointPicker picker, ColdStartHolds holds,
                       DemandTracker demand, RouterTracing tracing) {
        this.services = new ProxyExchange.Services(vertx, upstream.client(), breakers, balancer, metrics, picker,
                Math.max(1, config.overload().maxInFlightPerEndpoint()), holds, demand, tracing);
    }

    /**
     * Starts sending {@code request} along {@code plan}; the answer goes to {@code sink}. Call it on an event loop,
     * where the exchange then runs.
     */
    public ProxyExchange send(UpstreamRequest request, RoutePlan plan, AnswerSink sink) {
        ProxyExchange exchange = new ProxyExchange(services, request, plan, sink);
        exchange.start();
        return exchange;
    }
}
