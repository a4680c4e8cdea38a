package dev.switchboard.router.demand;

import dev.switchboard.api.v1alpha1.DemandStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.table.RoutingTableHolder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reports this replica's {@link DemandTracker} windows to the built-in autoscaler: each served policy's
 * {@code status.demand.<pod name>} holds the demand for that policy's experts, written with a JSON merge patch that
 * touches only this replica's entry (so replicas never conflict, and the operator's and the routing-table writer's
 * fields stay as they are). Write rate: at most once per {@code switchboard.kubernetes.demand-interval} per policy
 * and only while there is demand (one last all-quiet report after it ends), plus at most once a second when a
 * request starts waiting for a cold expert, so a scale from zero starts within about a second.
 */
@ApplicationScoped
public class DemandPublisher {
    private static final Logger LOG = Logger.getLogger(DemandPublisher.class);
    static final long NUDGE_MILLIS = 1000;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final RouterConfig config;
    private final RoutingTableHolder tables;
    private final DemandTracker tracker;
    private final Instance<KubernetesClient> clients;
    /** Per policy, the experts the last report gave demand for (a JSON merge patch keeps keys left out). */
    private final Map<String, java.util.Set<String>> reported = new HashMap<>();
    private final AtomicBoolean nudged = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private KubernetesClient client;
    private String pod;
    private volatile long lastTick = System.nanoTime();
    private volatile long lastNudge;

    public DemandPublisher(RouterConfig config, RoutingTableHolder tables, DemandTracker tracker,
                           Instance<KubernetesClient> clients) {
        this.config = config;
        this.tables = tables;
        this.tracker = tracker;
        this.clients = clients;
    }

    void start(@Observes @Priority(20) StartupEvent event) {
        if (config.mode() != RouterConfig.Mode.kubernetes || !config.kubernetes().writeStatus()) {
            return;
        }
        client = clients.get();
        pod = config.kubernetes().podName().filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()))
                .orElse("router-" + Long.toHexString(System.nanoTime()));
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-demand");
            t.setDaemon(true);
            return t;
        });
        long every = config.kubernetes().demandInterval().toMillis();
        executor.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        tracker.onColdDemand(this::nudge);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** A request started waiting for a cold expert: report within a second rather than a window. */
    void nudge() {
        if (executor == null || !nudged.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, NUDGE_MILLIS - (System.nanoTime() - lastNudge) / 1_000_000);
        executor.schedule(() -> {
            lastNudge = System.nanoTime();
            nudged.set(false);
            tick();
        }, wait, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            int seconds = (int) Math.max(1, Math.round((now - lastTick) / 1e9));
            lastTick = now;
            Map<String, DemandTracker.Window> window = tracker.window();
            for (PolicyRoute policy : tables.table().policies().values()) {
                String key = policy.namespace() + "/" + policy.name();
                java.util.Set<String> before = reported.getOrDefault(key, java.util.Set.of());
                DemandStatus report = report(policy, window, seconds, before);
                if (report.experts.isEmpty()) {
                    continue; // quiet, and the last report said so already
                }
                write(policy, report);
                java.util.Set<String> asked = new java.util.HashSet<>();
                report.experts.forEach((name, d) -> {
                    if (d.inFlight > 0 || d.requests > 0 || d.held > 0 || d.diverted > 0) {
                        asked.add(name);
                    }
                });
                reported.put(key, asked);
            }
        } catch (RuntimeException e) {
            LOG.warnf("writing RoutingPolicy status.demand failed: %s", e.getMessage());
        }
    }

    /** The policy's experts with demand in {@code window}, and zeros for those of {@code before} without. */
    static DemandStatus report(PolicyRoute policy, Map<String, DemandTracker.Window> window, int seconds,
                               java.util.Set<String> before) {
        DemandStatus report = new DemandStatus();
        report.observedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        report.windowSeconds = seconds;
        report.experts = new LinkedHashMap<>();
        for (String expert : policy.experts().keySet()) {
            DemandTracker.Window w = window.get(policy.namespace() + "/" + expert);
            if (w != null) {
                report.experts.put(expert, new DemandStatus.ExpertDemand(w.inFlight(), w.requests(), w.held(),
                        w.diverted()));
            } else if (before.contains(expert)) {
                report.experts.put(expert, new DemandStatus.ExpertDemand(0, 0, 0, 0));
            }
        }
        return report;
    }

    private void write(PolicyRoute policy, DemandStatus report) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("observedAt", report.observedAt);
        entry.put("windowSeconds", report.windowSeconds);
        entry.put("experts", report.experts);
        String body = JSON.asJson(Map.of("status", Map.of("demand", Map.of(pod, entry))));
        try {
            client.resources(RoutingPolicy.class).inNamespace(policy.namespace()).withName(policy.name())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
