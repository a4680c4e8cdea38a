package dev.switchboard.router.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Breakers by expert (namespace/name); they outlive routing-table versions. */
@ApplicationScoped
public class CircuitBreakers {
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreaker of(String namespace, String expert) {
        return breakers.computeIfAbsent(namespace + "/" + expert, k -> new CircuitBreaker());
    }

    public Map<String, CircuitBreaker.State> states() {
        Map<String, CircuitBreaker.State> out = new java.util.TreeMap<>();
        breakers.forEach((k, v) -> out.put(k, v.state()));
        return out;
    }
}
