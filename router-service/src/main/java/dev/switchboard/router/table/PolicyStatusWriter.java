package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code status.routingTable} of a RoutingPolicy with a JSON merge patch on the status subresource that
 * touches only that field (the operator owns the rest of the status and never writes it): the router's verdict on
 * one generation of the policy ({@code observedGeneration}, {@code accepted}, and {@code message} naming the field
 * when it refused it) and the rows of its table. Every router replica runs one, and they agree through the API
 * server rather than with each other: a replica writes only when its verdict or rows differ from the published
 * ones, sets {@code version} to the published version + 1, and makes the patch conditional on the resourceVersion
 * it read, so a concurrent write by another replica (or the operator) makes it back off (HTTP 409) until the next
 * tick, on fresher data. The version thus counts published changes and never goes back, however many replicas
 * there are. At most one write per interval per policy.
 */
final class PolicyStatusWriter {
    private static final Logger LOG = Logger.getLogger(PolicyStatusWriter.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final String namespace;
    private final Duration interval;
    private final Map<String, Long> lastWriteAt = new ConcurrentHashMap<>();

    PolicyStatusWriter(KubernetesClient client, String namespace, Duration interval) {
        this.client = client;
        this.namespace = namespace;
        this.interval = interval;
    }

    /**
     * Publishes {@code verdict} unless {@code policy} (as last seen, with its resourceVersion) already shows it.
     * True when it wrote; false when nothing changed, the interval has not passed or another writer came first.
     */
    boolean write(RoutingPolicy policy, PolicyVerdict verdict) {
        String name = policy.getMetadata().getName();
        RoutingTableStatus published = policy.getStatus() == null ? null : policy.getStatus().routingTable;
        RoutingTableStatus status = verdict.isAccepted() ? routes(verdict.route()) : new RoutingTableStatus();
        status.observedGeneration = verdict.generation();
        status.accepted = verdict.isAccepted();
        status.message = verdict.refusal();
        if (published != null && fingerprint(published).equals(fingerprint(status))) {
            return false;
        }
        long now = System.nanoTime();
        Long last = lastWriteAt.get(name);
        if (last != null && now - last < interval.toNanos()) {
            return false;
        }
        status.version = (published == null || published.version == null ? 0 : published.version) + 1;
        Map<String, Object> patch = new LinkedHashMap<>();
        // a resourceVersion in the patch is a precondition: the write fails with 409 if the object changed since
        patch.put("metadata", Map.of("resourceVersion", policy.getMetadata().getResourceVersion()));
        @SuppressWarnings("unchecked")
        Map<String, Object> table = JSON.convertValue(status, Map.class);
        table.put("message", status.message); // null removes the message of an earlier refusal (merge patch)
        patch.put("status", Map.of("routingTable", table));
        try {
            client.resources(RoutingPolicy.class).inNamespace(namespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                LOG.debugf("RoutingPolicy %s changed since it was read; status.routingTable is retried", name);
                return false;
            }
            throw e;
        }
        lastWriteAt.put(name, now);
        LOG.debugf("wrote status.routingTable v%d of RoutingPolicy %s", status.version, name);
        return true;
    }

    private static List<String> fingerprint(RoutingTableStatus status) {
        List<String> lines = new ArrayList<>();
        lines.add(status.observedGeneration + "|" + status.accepted + "|" + status.message);
        if (status.routes != null) {
            status.routes.forEach(r -> lines.add(r.route + "|" + r.expert + "|" + r.readyEndpoints));
        }
        return lines;
    }

    /**
     * Rows: for a strategy with categories (category, zero-shot or trained) one row per category and expert, every
     * category the classifier can predict; one whose route and experts are missing shows the expert it falls to
     * (spec.fallback, else the generalists), or, with neither, a row without expert and 0 ready endpoints. For other
     * strategies one "*" row per expert. Last, the fallback row.
     */
    static RoutingTableStatus routes(PolicyRoute route) {
        RoutingTableStatus status = new RoutingTableStatus();
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
