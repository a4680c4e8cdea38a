package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code status.routingTable} of a RoutingPolicy with a JSON merge patch on the status subresource that
 * touches only that field (the operator owns the rest of the status and never writes it). Writes only when the
 * routes changed, at most once per interval per policy.
 */
final class PolicyStatusWriter {
    private static final Logger LOG = Logger.getLogger(PolicyStatusWriter.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final String namespace;
    private final Duration interval;
    private final Map<String, List<String>> lastWritten = new ConcurrentHashMap<>();
    private final Map<String, Long> lastWriteAt = new ConcurrentHashMap<>();

    PolicyStatusWriter(KubernetesClient client, String namespace, Duration interval) {
        this.client = client;
        this.namespace = namespace;
        this.interval = interval;
    }

    void write(RoutingPolicy policy, PolicyRoute route, long version) {
        String name = policy.getMetadata().getName();
        RoutingTableStatus status = routes(route, version);
        List<String> fingerprint = status.routes.stream()
                .map(r -> r.route + "|" + r.expert + "|" + r.readyEndpoints).toList();
        long now = System.nanoTime();
        Long last = lastWriteAt.get(name);
        if (fingerprint.equals(lastWritten.get(name)) || last != null && now - last < interval.toNanos()) {
            return;
        }
        String patch = JSON.asJson(Map.of("status", Map.of("routingTable", status)));
        client.resources(RoutingPolicy.class).inNamespace(namespace).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        lastWritten.put(name, fingerprint);
        lastWriteAt.put(name, now);
        LOG.debugf("wrote status.routingTable v%d of RoutingPolicy %s", version, name);
    }

    /**
     * Rows: for a strategy with categories (category, zero-shot or trained) one row per category and expert, every
     * category the classifier can predict; one whose route and experts are missing shows the expert it falls to
     * (spec.fallback, else the generalists), or, with neither, a row without expert and 0 ready endpoints. For other
     * strategies one "*" row per expert. Last, the fallback row.
     */
    static RoutingTableStatus routes(PolicyRoute route, long version) {
        RoutingTableStatus status = new RoutingTableStatus();
        status.version = version;
        List<RoutingTableStatus.Route> rows = new ArrayList<>();
        Map<String, List<String>> categories = route.strategy().categoryRoutes(route);
        if (!categories.isEmpty()) {
            categories.forEach((category, experts) -> {
                if (experts.isEmpty()) {
                    RoutingTableStatus.Route unrouted = new RoutingTableStatus.Route();
                    unrouted.route = category;
                    unrouted.readyEndpoints = 0;
                    rows.add(unrouted);
                }
                experts.forEach(e -> rows.add(new RoutingTableStatus.Route(category, e, ready(route, e))));
            });
        } else {
            route.experts().values().stream().map(ExpertInfo::name).sorted().forEach(n ->
                    rows.add(new RoutingTableStatus.Route("*", n, ready(route, n))));
        }
        if (route.fallback() != null) {
            rows.add(new RoutingTableStatus.Route("fallback", route.fallback(), ready(route, route.fallback())));
        }
        status.routes = rows;
        return status;
    }

    private static int ready(PolicyRoute route, String expert) {
        ExpertInfo info = route.experts().get(expert);
        return info == null ? 0 : info.endpoints().size();
    }
}
