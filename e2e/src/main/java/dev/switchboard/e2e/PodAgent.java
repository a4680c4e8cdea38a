package dev.switchboard.e2e;

import dev.switchboard.testing.FreePort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet for the simulated cluster: for every Running pod of Switchboard that kwok reports, it starts
 * the real thing on loopback (a stand-in vLLM for expert pods, the packaged router or operator JVM for theirs),
 * with the pod's environment and a token of the pod's ServiceAccount. Once the process passes the pod's readiness
 * probe it maps podIP:port to it and then marks the pod Ready (kwok leaves pods not Ready, see
 * hack/sim-cluster-pod-stages.yaml), so an EndpointSlice lists a pod as ready only when it answers, as in a real
 * cluster. Like the kubelet it keeps probing: the Ready condition follows the probe for as long as the pod runs,
 * and is restored when something else (the node lifecycle controller) cleared it while the probe passes.
 * Injected request failures (breaker and failover tests) do not touch the stand-ins' health endpoint. Deleted
 * pods are stopped gracefully after their endpoint is withdrawn.
 */
public final class PodAgent implements AutoCloseable {
    private final KubernetesClient client;
    private final AddressMap addresses;
    private final Path routerJar;
    private final Path operatorJar;
    private final Path logs;
    private final Map<String, PodProcess> running = new ConcurrentHashMap<>();
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> probing = new ConcurrentHashMap<>();
    private final Map<String, ReadinessProbe> probes = new ConcurrentHashMap<>();
    private final ExecutorService lifecycle = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pod-agent");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pod-agent-prober");
        t.setDaemon(true);
        return t;
    });
    /** Simulated model load times of experts' pods ("namespace/expert"): hardware, not spec, so set here. */
    private final Map<String, Duration> loadTimes = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;

    public PodAgent(KubernetesClient client, AddressMap addresses, Path routerJar, Path operatorJar, Path logs) {
        this.client = client;
        this.addresses = addresses;
        this.routerJar = routerJar;
        this.operatorJar = operatorJar;
        this.logs = logs;
    }

    /** From now on, pods of this expert start like a vLLM loading its model for {@code loadTime} (cold starts). */
    public PodAgent loadTime(String namespace, String expert, Duration loadTime) {
        loadTimes.put(namespace + "/" + expert, loadTime);
        return this;
    }

    public PodAgent start() {
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                reconcile(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                reconcile(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                stop(key(pod));
            }
        });
        return this;
    }

    public Map<String, PodProcess> running() {
        return Map.copyOf(running);
    }

    private void reconcile(Pod pod) {
        String key = key(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            stop(key);
            return;
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || !"Running".equals(pod.getStatus().getPhase())) {
            return;
        }
        if (running.containsKey(key)) {
            ReadinessProbe probe = probes.get(key);
            if (probe != null && probe.ready() && !isReady(pod)) { // cleared by someone else while the probe passes
                lifecycle.submit(() -> setReady(pod, true));
            }
            return;
        }
        Kind kind = Kind.of(pod);
        if (kind == Kind.OTHER) { // nothing runs for it here, so nothing to wait for
            if (!isReady(pod)) {
                lifecycle.submit(() -> setReady(pod, true));
            }
            return;
        }
        running.put(key, new Placeholder());
        lifecycle.submit(() -> launch(key, ip, kind, pod));
    }

    private void launch(String key, String ip, Kind kind, Pod pod) {
        try {
            PodProcess process = switch (kind) {
                case EXPERT -> {
                    String expert = pod.getMetadata().getLabels().getOrDefault("switchboard.dev/expert",
                            pod.getMetadata().getName());
                    yield new StandInPodProcess(expert, pod,
                            loadTimes.get(pod.getMetadata().getNamespace() + "/" + expert));
                }
                case ROUTER -> new JvmPodProcess(routerJar, FreePort.pick(), envOf(pod, true),
                        logs.resolve(pod.getMetadata().getName() + ".log"), "384m");
                case OPERATOR -> new JvmPodProcess(operatorJar, FreePort.pick(), envOf(pod, false),
                        logs.resolve(pod.getMetadata().getName() + ".log"), "384m");
                case OTHER -> throw new IllegalStateException();
            };
            if (running.replace(key, process) == null) {
                process.stop(Duration.ZERO); // deleted while starting
                return;
            }
            ReadinessProbe probe = ReadinessProbe.of(pod);
            Duration timeout = Duration.ofSeconds(60);
            if (!probe.awaitFirstSuccess(process, timeout)) {
                throw new IllegalStateException("process on port " + process.localPort() + " did not pass its "
                        + "readiness probe " + probe.describe() + " within " + timeout);
            }
            if (running.get(key) == process) {
                podIps.put(key, ip);
                // mapped before Ready: routers and the ingress leave out ready addresses the map does not list yet
                addresses.put(ip, containerPort(pod), process.localPort());
                process.managementPort().ifPresent(m -> addresses.put(ip, ReadinessProbe.MANAGEMENT_PORT, m));
                setReady(pod, true);
                probes.put(key, probe);
                long period = probe.period().toMillis();
                probing.put(key, prober.scheduleWithFixedDelay(() -> recheck(key, process, probe), period, period,
                        TimeUnit.MILLISECONDS));
            }
        } catch (RuntimeException e) {
            System.err.println("[pod-agent] cannot start " + key + ": " + e);
            // remove only what this launch put there, and stop a process that started but never became ready
            PodProcess started = running.get(key);
            if (started != null && running.remove(key, started) && !(started instanceof Placeholder)) {
                started.stop(Duration.ZERO);
            }
        }
    }

    /** One periodic probe of a running pod; the Ready condition follows its result, as the kubelet keeps it. */
    private void recheck(String key, PodProcess process, ReadinessProbe probe) {
        if (running.get(key) != process) {
            return; // stopped: its schedule is being cancelled
        }
        boolean ready = probe.check(process);
        Pod pod = informer.getStore().getByKey(key);
        if (pod != null && pod.getMetadata().getDeletionTimestamp() == null && isReady(pod) != ready) {
            try {
                setReady(pod, ready);
            } catch (KubernetesClientException e) {
                System.err.println("[pod-agent] cannot set " + key + " Ready=" + ready + ": " + e.getMessage());
            }
        }
    }

    /** Sets the Ready and ContainersReady conditions, as the kubelet does after its readiness probe. */
    private void setReady(Pod pod, boolean ready) {
        String now = Instant.now().toString();
        String status = ready ? "True" : "False";
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(p -> {
                        for (PodCondition c : p.getStatus().getConditions()) {
                            if (("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()))
                                    && !status.equals(c.getStatus())) {
                                c.setStatus(status);
                                c.setReason(ready ? null : "ReadinessProbeFailed");
                                c.setLastTransitionTime(now);
                            }
                        }
                        p.getStatus().getContainerStatuses().forEach(cs -> cs.setReady(ready));
                        return p;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // a pod deleted meanwhile needs no readiness
                throw e;
            }
        }
    }

    private void stop(String key) {
        ScheduledFuture<?> schedule = probing.remove(key);
        if (schedule != null) {
            schedule.cancel(false);
        }
        probes.remove(key);
        PodProcess process = running.remove(key);
        String ip = podIps.remove(key);
        if (ip != null) {
            addresses.removeIp(ip);
        }
        if (process != null) {
            // like preStop: give routers and proxies a moment to drop the endpoint before SIGTERM
            lifecycle.submit(() -> {
                sleep(process instanceof StandInPodProcess ? 200 : 1000);
                process.stop(Duration.ofSeconds(20));
            });
        }
    }

    private Map<String, String> envOf(Pod pod, boolean router) {
        Map<String, String> env = new HashMap<>();
        Container container = pod.getSpec().getContainers().get(0);
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(java.util.List.of())) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                String path = var.getValueFrom().getFieldRef().getFieldPath();
                env.put(var.getName(), switch (path) {
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "status.podIP" -> pod.getStatus().getPodIP();
                    default -> "";
                });
            }
        }
        String namespace = pod.getMetadata().getNamespace();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", client.getConfiguration().getMasterUrl());
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", serviceAccountToken(pod));
        env.put("KUBERNETES_NAMESPACE", namespace);
        if (router) {
            env.put("SWITCHBOARD_KUBERNETES_ENDPOINT_MAP_FILE", addresses.file().toString());
        } else {
            // the operator calls vLLM's adapter endpoints on pod IPs, which only the map makes reachable here
            env.put("SWITCHBOARD_OPERATOR_ENDPOINT_MAP_FILE", addresses.file().toString());
        }
        return env;
    }

    /** A real token for the pod's ServiceAccount, so the process runs with exactly the RBAC its pod would have. */
    private String serviceAccountToken(Pod pod) {
        String account = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(86_400L).endSpec().build();
        return client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(account)
                .tokenRequest(request).getStatus().getToken();
    }

    private static int containerPort(Pod pod) {
        return pod.getSpec().getContainers().get(0).getPorts().stream().findFirst()
                .map(p -> p.getContainerPort()).orElse(8080);
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        prober.shutdownNow();
        running.values().forEach(p -> p.stop(Duration.ofSeconds(5)));
        running.clear();
        lifecycle.shutdownNow();
    }

    /** Which Switchboard process a pod stands for, from its image and environment. */
    enum Kind {
        EXPERT, ROUTER, OPERATOR, OTHER;

        static Kind of(Pod pod) {
            Map<String, String> labels = Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of());
            if ("expert".equals(labels.get("app.kubernetes.io/component")) && labels.containsKey("switchboard.dev/expert")) {
                return EXPERT;
            }
            Container container = pod.getSpec().getContainers().get(0);
            boolean hasPolicyEnv = Optional.ofNullable(container.getEnv()).orElse(java.util.List.of()).stream()
                    .anyMatch(e -> "SWITCHBOARD_POLICY".equals(e.getName()));
            if (hasPolicyEnv || container.getImage().contains("switchboard-router")) {
                return ROUTER;
            }
            if (container.getImage().contains("switchboard-operator")) {
                return OPERATOR;
            }
            return OTHER;
        }
    }

    /** Marks a pod whose process is being started. */
    private static final class Placeholder implements PodProcess {
        @Override
        public int localPort() {
            return -1;
        }

        @Override
        public boolean isAlive() {
            return false;
        }

        @Override
        public void stop(Duration grace) {
        }
    }
}
