package dev.switchboard.router.shadow;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.ShadowStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code status.shadow} of a shadow policy from a live policy's router: what the status already shows plus
 * what this replica saw since it last wrote, so the counts are summed across replicas through the API server (as
 * {@code status.routingTable}'s version is): a JSON merge patch of that field only, conditional on the
 * resourceVersion read (HTTP 409 when another writer came first: retried on the next tick, on fresher data), at
 * most once per interval per policy, and only when there is news. A status of other generations (of either
 * policy) or of another live policy is replaced, not added to. Disagreements are kept as the top
 * {@link ShadowStatus#MAX_DISAGREEMENTS} of the sum, so rare pairs may drop out across replicas.
 */
public final class ShadowStatusWriter {
    private static final Logger LOG = Logger.getLogger(ShadowStatusWriter.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final String namespace;
    private final Duration interval;
    private final Map<String, Long> lastWriteAt = new ConcurrentHashMap<>();

    public ShadowStatusWriter(KubernetesClient client, String namespace, Duration interval) {
        this.client = client;
        this.namespace = namespace;
        this.interval = interval;
    }

    /**
     * Publishes each tally of {@code ledger} into its shadow policy among {@code policies} (as last seen), when
     * the tally is for that policy's current generation.
     */
    public void writeAll(ShadowLedger ledger, List<RoutingPolicy> policies) {
        Map<String, RoutingPolicy> byName = new HashMap<>();
        policies.forEach(p -> byName.put(p.getMetadata().getName(), p));
        for (ShadowTally tally : ledger.tallies().values()) {
            RoutingPolicy shadow = byName.get(tally.shadow);
            RoutingPolicy live = byName.get(tally.live);
            // only counts of both policies' current generations: an older link (changed or removed) is left be
            if (shadow != null && generation(shadow) == tally.shadowGeneration
                    && (live == null || generation(live) == tally.liveGeneration)) {
                write(shadow, tally);
            }
        }
    }

    boolean write(RoutingPolicy shadow, ShadowTally tally) {
        String name = shadow.getMetadata().getName();
        ShadowStatus published = shadow.getStatus() == null ? null : shadow.getStatus().shadow;
        boolean continues = published != null && tally.live.equals(published.of)
                && Objects.equals(published.liveGeneration, tally.liveGeneration)
                && Objects.equals(published.observedGeneration, tally.shadowGeneration);
        ShadowTally.Counts news = tally.unpublished();
        if (continues && news.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        Long last = lastWriteAt.get(name);
        if (last != null && now - last < interval.toNanos()) {
            return false;
        }
        ShadowStatus next = sum(continues ? published : null, news, tally);
        Map<String, Object> patch = new LinkedHashMap<>();
        // a resourceVersion in the patch is a precondition: the write fails with 409 if the object changed since
        patch.put("metadata", Map.of("resourceVersion", shadow.getMetadata().getResourceVersion()));
        patch.put("status", Map.of("shadow", next));
        try {
            client.resources(RoutingPolicy.class).inNamespace(namespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                LOG.debugf("RoutingPolicy %s changed since it was read; status.shadow is retried", name);
                return false;
            }
            throw e;
        }
        tally.published(news);
        lastWriteAt.put(name, now);
        return true;
    }

    /** {@code base} (null: none) plus {@code news}, with the tally's identity and latest decision times. */
    static ShadowStatus sum(ShadowStatus base, ShadowTally.Counts news, ShadowTally tally) {
        ShadowStatus s = new ShadowStatus();
        s.of = tally.live;
        s.liveGeneration = tally.liveGeneration;
        s.observedGeneration = tally.shadowGeneration;
        s.since = base != null && base.since != null ? base.since : tally.since.toString();
        s.decisions = nz(base == null ? null : base.decisions) + news.decisions;
        s.agreed = nz(base == null ? null : base.agreed) + news.agreed;
        s.shed = nz(base == null ? null : base.shed) + news.shed;
        s.samples = nz(base == null ? null : base.samples) + news.samples;
        s.agreementRatio = ratio(s.agreed, s.decisions);

        Map<String, long[]> categories = new TreeMap<>();
        if (base != null && base.perCategory != null) {
            base.perCategory.forEach(c -> categories.put(c.category, new long[] {nz(c.decisions), nz(c.agreed)}));
        }
        news.categories.forEach((k, v) -> {
            long[] c = categories.computeIfAbsent(k, x -> new long[2]);
            c[0] += v[0];
            c[1] += v[1];
        });
        s.perCategory = new ArrayList<>();
        categories.entrySet().stream().limit(ShadowStatus.MAX_CATEGORIES).forEach(e -> {
            ShadowStatus.Category c = new ShadowStatus.Category();
            c.category = e.getKey();
            c.decisions = e.getValue()[0];
            c.agreed = e.getValue()[1];
            c.agreementRatio = ratio(c.agreed, c.decisions);
            s.perCategory.add(c);
        });

        ShadowTally.Counts pairs = new ShadowTally.Counts();
        if (base != null && base.disagreements != null) {
            base.disagreements.forEach(d -> pairs.pairs.merge(List.of(d.liveExpert, d.shadowExpert), nz(d.count),
                    Long::sum));
        }
        news.pairs.forEach((k, v) -> pairs.pairs.merge(k, v, Long::sum));
        s.disagreements = new ArrayList<>();
        for (Map.Entry<List<String>, Long> e : ShadowTally.top(pairs, ShadowStatus.MAX_DISAGREEMENTS)) {
            ShadowStatus.Disagreement d = new ShadowStatus.Disagreement();
            d.liveExpert = e.getKey().get(0);
            d.shadowExpert = e.getKey().get(1);
            d.count = e.getValue();
            s.disagreements.add(d);
        }

        double[] ms = tally.latencyMillis();
        if (ms != null) {
            s.decisionLatency = new ShadowStatus.Latency();
            s.decisionLatency.liveP50Ms = ms[0];
            s.decisionLatency.liveP99Ms = ms[1];
            s.decisionLatency.shadowP50Ms = ms[2];
            s.decisionLatency.shadowP99Ms = ms[3];
        } else if (base != null) {
            s.decisionLatency = base.decisionLatency;
        }
        return s;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(10_000.0 * part / whole) / 10_000.0;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static long generation(RoutingPolicy policy) {
        Long generation = policy.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
