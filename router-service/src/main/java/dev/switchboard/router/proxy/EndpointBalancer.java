package dev.switchboard.router.proxy;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.router.metrics.UpstreamLoad;
import dev.switchboard.router.picking.EndpointPicker;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight from this router to each endpoint, the load the {@link EndpointPicker} starts from. Counters
 * are keyed by base URL so they survive routing-table swaps.
 */
@ApplicationScoped
public class EndpointBalancer implements UpstreamLoad, EndpointPicker.InFlight {
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    @Override
    public int of(Endpoint endpoint) {
        AtomicInteger c = inFlight.get(endpoint.baseUrl());
        return c == null ? 0 : c.get();
    }

    public void acquire(Endpoint endpoint) {
        counter(endpoint).incrementAndGet();
    }

    public void release(Endpoint endpoint) {
        counter(endpoint).decrementAndGet();
    }

    public int inFlight(Endpoint endpoint) {
        return counter(endpoint).get();
    }

    /** Total requests in flight to all endpoints. */
    @Override
    public int total() {
        int sum = 0;
        for (AtomicInteger c : inFlight.values()) {
            sum += c.get();
        }
        return sum;
    }

    private AtomicInteger counter(Endpoint endpoint) {
        return inFlight.computeIfAbsent(endpoint.baseUrl(), k -> new AtomicInteger());
    }
}
