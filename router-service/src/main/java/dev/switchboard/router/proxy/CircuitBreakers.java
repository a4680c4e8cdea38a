package dev.switchboard.router.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Breakers by policy and expert ("scope|namespace/name"): one policy's slow or failing requests open only that
 * policy's breaker of an expert, never another policy's. They outlive routing-table versions.
 */
@ApplicationScoped
public class CircuitBreakers {
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    /** @param scope the plan's policy ("namespace/name"), or null for calls outside any policy */
    public CircuitBreaker of(String scope, String namespace, String expert) {
        String key = (scope == null ? "" : scope + "|") + namespace + "/" + expert;
        CircuitBreaker b = breakers.get(key);
        return b != null ? b : breakers.computeIfAbsent(key, k -> new CircuitBreaker());
    }

    public Map<String, CircuitBreaker.State> states() {
        Map<String, CircuitBreaker.State> out = new java.util.TreeMap<>();
        breakers.forEach((k, v) -> out.put(k, v.state()));
        return out;
    }
}
