package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.DemandStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes from a policy's {@code status.demand} the reports of router replicas that stopped writing (pods that
 * went away: each replica reports under its own pod name), so the map stays as small as the live replicas. The
 * autoscaler ignores such reports long before (three windows); this only bounds the status.
 */
final class StaleDemand {
    /** A report this old is from a replica that is gone: a live one writes every window while there is demand. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private StaleDemand() {
    }

    /** The pod names whose report is older than {@code maxAge} or unreadable. */
    static List<String> of(Map<String, DemandStatus> demand, Instant now, Duration maxAge) {
        if (demand == null) {
            return List.of();
        }
        return demand.entrySet().stream().filter(e -> stale(e.getValue(), now, maxAge)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    private static boolean stale(DemandStatus report, Instant now, Duration maxAge) {
        if (report == null || report.observedAt == null) {
            return true;
        }
        try {
            return Instant.parse(report.observedAt).isBefore(now.minus(maxAge));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** Deletes the stale reports with a JSON merge patch (null removes a key); true if any remain. */
    static boolean prune(KubernetesClient client, RoutingPolicy policy, Instant now) {
        Map<String, DemandStatus> demand = policy.getStatus() == null ? null : policy.getStatus().demand;
        List<String> stale = of(demand, now, MAX_AGE);
        if (!stale.isEmpty()) {
            Map<String, Object> removals = new HashMap<>();
            stale.forEach(pod -> removals.put(pod, null));
            try {
                client.resources(RoutingPolicy.class).inNamespace(policy.getMetadata().getNamespace())
                        .withName(policy.getMetadata().getName()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                Serialization.asJson(Map.of("status", Map.of("demand", removals))));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return demand != null && demand.size() > stale.size();
    }
}
