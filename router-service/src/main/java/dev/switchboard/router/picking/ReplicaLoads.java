package dev.switchboard.router.picking;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The latest load each replica reported (by base URL); a reading older than {@code maxAge} is not used. */
public final class ReplicaLoads {
    private final Map<String, ReplicaLoad> loads = new ConcurrentHashMap<>();
    private final long maxAgeNanos;

    public ReplicaLoads(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The replica's load if read within maxAge, else null. */
    public ReplicaLoad fresh(String baseUrl, long nowNanos) {
        ReplicaLoad l = loads.get(baseUrl);
        return l == null || nowNanos - l.atNanos() > maxAgeNanos ? null : l;
    }

    public void put(String baseUrl, ReplicaLoad load) {
        loads.put(baseUrl, load);
    }

    /** Forgets replicas that are no longer in the routing table. */
    public void retainOnly(Set<String> baseUrls) {
        loads.keySet().retainAll(baseUrls);
    }

    /** Every reading, fresh or not (for /q/routing). */
    public Map<String, ReplicaLoad> all() {
        return Map.copyOf(loads);
    }
}
