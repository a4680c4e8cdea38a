package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.shadow.ShadowLedger;
import dev.switchboard.router.shadow.ShadowStatusWriter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes mode: namespace-scoped informers on ExpertModel, RoutingPolicy, EndpointSlice and ConfigMap; API-key
 * Secrets are read by name ({@link NamedSecrets}), as the router's Role grants them only by resourceName.
 * Every change schedules a rebuild (events within {@code switchboard.kubernetes.debounce} are coalesced) of a
 * complete new table that is swapped in atomically. Whether each served policy made it into the table (or why not)
 * is published in its {@code status.routingTable} ({@link PolicyStatusWriter}).
 *
 * <p>Endpoints of a deployed expert come from the EndpointSlices of its Service (named like the ExpertModel):
 * each ready address with the port named {@code http} becomes {@code http://ip:port/v1}. An external expert is
 * routable at its URL unless its Ready condition is explicitly False (an expert the operator has not looked at
 * yet is given the benefit of the doubt; failover and breakers cover a wrong guess).
 */
@ApplicationScoped
public class KubernetesTableSource {
    private static final Logger LOG = Logger.getLogger(KubernetesTableSource.class);
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final RouterConfig config;
    private final RoutingTableHolder tables;
    private final Instance<KubernetesClient> clients;
    private final StrategyRegistry strategies;
    private final ShadowLedger shadows;
    private final AtomicLong version = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private ScheduledExecutorService executor;
    /** API calls that may block (Secret re-reads, status writes), off the builder thread so rebuilds never wait. */
    private ScheduledExecutorService io;
    private KubernetesClient client;
    private String namespace;
    private SharedIndexInformer<ExpertModel> experts;
    private SharedIndexInformer<RoutingPolicy> policies;
    private SharedIndexInformer<EndpointSlice> slices;
    private NamedSecrets secrets;
    private SharedIndexInformer<ConfigMap> configMaps;
    private PolicyStatusWriter statusWriter;
    private ShadowStatusWriter shadowStatusWriter;
    /** The last rebuild's verdict on each served policy, by name, for the status writer. */
    private volatile Map<String, PolicyVerdict> verdicts = Map.of();
    private EndpointAddressMap addressMap = EndpointAddressMap.identity();

    public KubernetesTableSource(RouterConfig config, RoutingTableHolder tables, Instance<KubernetesClient> clients,
                                 StrategyRegistry strategies, ShadowLedger shadows) {
        this.shadows = shadows;
        this.config = config;
        this.tables = tables;
        this.clients = clients;
        this.strategies = strategies;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (config.mode() != RouterConfig.Mode.kubernetes) {
            return;
        }
        client = clients.get();
        namespace = config.namespace().filter(s -> !s.isBlank()).orElseGet(() ->
                Optional.ofNullable(client.getNamespace()).orElse("default"));
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-table-builder");
            t.setDaemon(true);
            return t;
        });
        io = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-table-io");
            t.setDaemon(true);
            return t;
        });
        ResourceEventHandler<Object> onChange = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                schedule();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                schedule();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                schedule();
            }
        };
        experts = inform(client.resources(ExpertModel.class).inNamespace(namespace).runnableInformer(0), onChange);
        policies = inform(client.resources(RoutingPolicy.class).inNamespace(namespace).runnableInformer(0), onChange);
        slices = inform(client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(0),
                onChange);
        secrets = new NamedSecrets(client, namespace);
        configMaps = inform(client.configMaps().inNamespace(namespace).runnableInformer(0), onChange);
        List<java.util.concurrent.CompletableFuture<Void>> synced = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers) {
            synced.add(informer.start().toCompletableFuture());
        }
        try {
            for (var f : synced) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Kubernetes informers in namespace " + namespace + " did not sync: "
                    + e.getMessage(), e);
        }
        statusWriter = new PolicyStatusWriter(client, namespace, config.kubernetes().statusInterval());
        shadowStatusWriter = new ShadowStatusWriter(client, namespace, config.kubernetes().statusInterval());
        io.scheduleWithFixedDelay(() -> {
            try {
                if (secrets.refresh()) {
                    schedule();
                }
            } catch (RuntimeException e) {
                LOG.warnf("re-reading API-key Secrets failed: %s", e.getMessage());
            }
        }, 10, 10, TimeUnit.SECONDS);
        config.kubernetes().endpointMapFile().filter(f -> !f.isBlank()).ifPresent(file -> {
            addressMap = new EndpointAddressMap(java.nio.file.Path.of(file));
            executor.scheduleWithFixedDelay(() -> {
                if (addressMap.reloadIfChanged()) {
                    schedule();
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
        });
        rebuild();
        if (config.kubernetes().writeStatus()) {
            long every = config.kubernetes().statusInterval().toMillis();
            io.scheduleWithFixedDelay(this::writeStatus, every, every, TimeUnit.MILLISECONDS);
        }
        LOG.infof("kubernetes mode: watching namespace %s%s", namespace,
                config.policy().map(p -> ", serving policy " + p).orElse(""));
    }

    @SuppressWarnings("unchecked")
    private <T> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer, ResourceEventHandler<Object> handler) {
        informer.addEventHandler((ResourceEventHandler<? super T>) (ResourceEventHandler<?>) handler);
        informers.add(informer);
        return informer;
    }

    void stop(@Observes ShutdownEvent event) {
        informers.forEach(SharedIndexInformer::close);
        if (executor != null) {
            executor.shutdownNow();
        }
        if (io != null) {
            io.shutdownNow();
        }
    }

    /** Coalesces bursts of events into one rebuild. */
    private void schedule() {
        LOG.debugf("change event; rebuild scheduled=%s", scheduled.get());
        if (executor != null && scheduled.compareAndSet(false, true)) {
            executor.schedule(() -> {
                scheduled.set(false);
                rebuild();
            }, config.kubernetes().debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void rebuild() {
        try {
            // A simulated pod's address is mapped just before it turns Ready: the EndpointSlice event that brought
            // us here must see the new mapping now, not at the next poll, or replicas converge a poll apart.
            addressMap.reloadIfChanged();
            List<RoutingPolicy> served = policies.getStore().list().stream()
                    .filter(p -> config.policy().map(name -> name.equals(p.getMetadata().getName())).orElse(true))
                    .toList();
            Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
            for (EndpointSlice slice : slices.getStore().list()) {
                String service = slice.getMetadata().getLabels() == null ? null
                        : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
                if (service != null) {
                    slicesByService.computeIfAbsent(service, k -> new ArrayList<>()).add(slice);
                }
            }
            BuildResult result = RoutingTableBuilder.build(version.incrementAndGet(), experts.getStore().list(),
                    served, policies.getStore().list(), expert -> endpoints(expert, slicesByService, addressMap), (ns, ref) -> secret(ns, ref.name, ref.key),
                    (ns, name, key) -> Optional.ofNullable(configMaps.getStore().getByKey(ns + "/" + name))
                            .map(c -> c.getData() == null ? null : c.getData().get(key)),
                    strategies, RoutingTableBuilder.SHARED_ENCODERS);
            RoutingTable table = scopeToPolicy(result.table());
            TableWarmup.warm(table);
            Map<String, String> errors = new TreeMap<>(result.errors());
            result.expertProblems().forEach((k, v) -> errors.put("expert " + k, v));
            result.shadowProblems().forEach((k, v) -> errors.put("shadow of " + k, v));
            config.policy().ifPresent(p -> {
                if (served.isEmpty()) {
                    errors.put(namespace + "/" + p, "RoutingPolicy not found");
                }
            });
            tables.swap(table, errors, "kubernetes namespace " + namespace);
            verdicts = verdicts(served, result, table);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("routing table rebuild failed; keeping the previous table", e);
        }
    }

    /** What the rebuild made of each served policy: its route, or the build error naming the field. */
    private static Map<String, PolicyVerdict> verdicts(List<RoutingPolicy> served, BuildResult result,
                                                       RoutingTable table) {
        Map<String, PolicyVerdict> verdicts = new HashMap<>();
        for (RoutingPolicy policy : served) {
            String name = policy.getMetadata().getName();
            long generation = generation(policy);
            String error = result.errors().get(policy.getMetadata().getNamespace() + "/" + name);
            PolicyRoute route = table.policies().get(policy.modelName());
            if (error != null) {
                verdicts.put(name, PolicyVerdict.refused(generation, error));
            } else if (route != null && route.name().equals(name)) {
                verdicts.put(name, PolicyVerdict.accepted(generation, route));
            }
        }
        return verdicts;
    }

    private static long generation(RoutingPolicy policy) {
        Long generation = policy.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    /** With switchboard.policy set, pinned access is limited to that policy's experts. */
    private RoutingTable scopeToPolicy(RoutingTable table) {
        if (config.policy().isEmpty()) {
            return table;
        }
        Map<String, ExpertInfo> allowed = new LinkedHashMap<>();
        for (PolicyRoute p : table.policies().values()) {
            p.experts().values().forEach(e -> allowed.put(e.servedModelName(), e));
        }
        Map<String, ExpertInfo> experts = new LinkedHashMap<>();
        table.experts().forEach((served, info) -> {
            if (allowed.containsKey(served)) {
                experts.put(served, info);
            }
        });
        return new RoutingTable(table.version(), table.policies(), experts, table.shadows());
    }

    static List<Endpoint> endpoints(ExpertModel expert, Map<String, List<EndpointSlice>> slicesByService,
                                    EndpointAddressMap addressMap) {
        if (expert.isExternal()) {
            boolean notReady = expert.getStatus() != null && expert.getStatus().condition("Ready")
                    .map(c -> "False".equals(c.getStatus())).orElse(false);
            return notReady || expert.getSpec().external.url == null ? List.of()
                    : List.of(new Endpoint(expert.getSpec().external.url));
        }
        // An adapter is served by its base's pods, but only by those the operator loaded it on (status.loadedOn).
        String service = expert.isAdapter() ? expert.getSpec().adapter.base : expert.getMetadata().getName();
        java.util.Set<String> loadedOn = !expert.isAdapter() ? null : expert.getStatus() == null
                || expert.getStatus().loadedOn == null ? java.util.Set.of()
                : java.util.Set.copyOf(expert.getStatus().loadedOn);
        List<Endpoint> out = new ArrayList<>();
        for (EndpointSlice slice : slicesByService.getOrDefault(service == null ? "" : service, List.of())) {
            Integer port = httpPort(slice);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            boolean ipv6 = "IPv6".equals(slice.getAddressType());
            for (var ep : slice.getEndpoints()) {
                boolean ready = ep.getConditions() != null && Boolean.TRUE.equals(ep.getConditions().getReady());
                if (!ready || ep.getAddresses() == null) {
                    continue;
                }
                if (loadedOn != null && (ep.getTargetRef() == null || !loadedOn.contains(ep.getTargetRef().getName()))) {
                    continue;
                }
                for (String address : ep.getAddresses()) {
                    String host = ipv6 ? "[" + address + "]" : address;
                    addressMap.resolve(host, port).ifPresent(hostPort -> out.add(new Endpoint("http://" + hostPort + "/v1")));
                }
            }
        }
        return out.stream().distinct().sorted(java.util.Comparator.comparing(Endpoint::baseUrl)).toList();
    }

    /** The port named http, else the only port of the slice. */
    private static Integer httpPort(EndpointSlice slice) {
        if (slice.getPorts() == null || slice.getPorts().isEmpty()) {
            return null;
        }
        for (var p : slice.getPorts()) {
            if ("http".equals(p.getName())) {
                return p.getPort();
            }
        }
        return slice.getPorts().size() == 1 ? slice.getPorts().get(0).getPort() : null;
    }

    private Optional<String> secret(String ns, String name, String key) {
        return secrets.value(name, key);
    }

    /**
     * Publishes the verdict on each served policy, once the table was built from the policy's current generation
     * (a newer one is reported after the rebuild its change triggers).
     */
    private void writeStatus() {
        try {
            Map<String, PolicyVerdict> current = verdicts;
            for (RoutingPolicy policy : policies.getStore().list()) {
                PolicyVerdict verdict = current.get(policy.getMetadata().getName());
                if (verdict != null && verdict.generation() == generation(policy)) {
                    statusWriter.write(policy, verdict);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("writing RoutingPolicy status failed: %s", e.getMessage());
        }
        try {
            shadowStatusWriter.writeAll(shadows, policies.getStore().list());
        } catch (RuntimeException e) {
            LOG.warnf("writing status.shadow failed: %s", e.getMessage());
        }
    }
}
