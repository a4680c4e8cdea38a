package dev.switchboard.router.proxy;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.router.metrics.UpstreamLoad;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Least in-flight balancing across an expert's ready endpoints. Counters are keyed by base URL so they survive
 * routing-table swaps; ties are broken from a random start so equal endpoints share load.
 */
@ApplicationScoped
public class EndpointBalancer implements UpstreamLoad {
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public Endpoint pick(List<Endpoint> endpoints) {
        int n = endpoints.size();
        if (n == 1) {
            return endpoints.get(0);
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        Endpoint best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Endpoint e = endpoints.get((start + i) % n);
            int load = counter(e).get();
            if (load < bestLoad) {
                best = e;
                bestLoad = load;
            }
        }
        return best;
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
