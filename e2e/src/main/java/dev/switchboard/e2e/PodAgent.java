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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the kubelet for the simulated cluster: for every Running pod of Switchboard that kwok reports, it starts
 * the real thing on loopback (a stand-in vLLM for expert pods, the packaged router or operator JVM for theirs),
 * with the pod's environment and a token of the pod's ServiceAccount. Once the process passes the pod's readiness
 * probe it maps podIP:port to it and then marks the pod Ready (kwok leaves pods not Ready, see
 * hack/sim-cluster-pod-stages.yaml), so an EndpointSlice lists a pod as ready only when it answers, as in a real
 * cluster. Only the first success counts: readiness is not probed again (tests inject expert failures on purpose,
 * for the router's breakers and failover to handle). Deleted pods are stopped gracefully after their endpoint is
 * withdrawn.
 */
public final class PodAgent implements AutoCloseable {
    private static final HttpClient PROBES = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    private final KubernetesClient client;
    private final AddressMap addresses;
    private final Path routerJar;
    private final Path operatorJar;
    private final Path logs;
    private final Map<String, PodProcess> running = new ConcurrentHashMap<>();
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final ExecutorService lifecycle = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pod-agent");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Pod> informer;

    public PodAgent(KubernetesClient client, AddressMap addresses, Path routerJar, Path operatorJar, Path logs) {
        this.client = client;
        this.addresses = addresses;
        this.routerJar = routerJar;
        this.operatorJar = operatorJar;
        this.logs = logs;
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

    /** The stand-in behind an expert pod, e.g. to inject failures. */
    public Optional<StandInPodProcess> expertProcess(String podKey) {
        return Optional.ofNullable(running.get(podKey)).filter(StandInPodProcess.class::isInstance)
                .map(StandInPodProcess.class::cast);
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
        if (ip == null || !"Running".equals(pod.getStatus().getPhase()) || running.containsKey(key)) {
            return;
        }
        Kind kind = Kind.of(pod);
        if (kind == Kind.OTHER) { // nothing runs for it here, so nothing to wait for
            if (!isReady(pod)) {
                lifecycle.submit(() -> markReady(pod));
            }
            return;
        }
        running.put(key, new Placeholder());
        lifecycle.submit(() -> launch(key, ip, kind, pod));
    }

    private void launch(String key, String ip, Kind kind, Pod pod) {
        try {
            PodProcess process = switch (kind) {
                case EXPERT -> new StandInPodProcess(
                        pod.getMetadata().getLabels().getOrDefault("switchboard.dev/expert", pod.getMetadata().getName()));
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
            awaitReadiness(process, readinessPath(pod), Duration.ofSeconds(60));
            if (running.get(key) == process) {
                podIps.put(key, ip);
                // mapped before Ready: routers and the ingress leave out ready addresses the map does not list yet
                addresses.put(ip, containerPort(pod), process.localPort());
                markReady(pod);
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

    /** Sets the Ready and ContainersReady conditions, as the kubelet does when the readiness probe passes. */
    private void markReady(Pod pod) {
        String now = Instant.now().toString();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(p -> {
                        for (PodCondition c : p.getStatus().getConditions()) {
                            if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                                c.setStatus("True");
                                c.setReason(null);
                                c.setLastTransitionTime(now);
                            }
                        }
                        p.getStatus().getContainerStatuses().forEach(cs -> cs.setReady(true));
                        return p;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // a pod deleted meanwhile needs no readiness
                throw e;
            }
        }
    }

    private void stop(String key) {
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

    /** The path of the container's HTTP readiness probe; without one, accepting connections is ready enough. */
    private static Optional<String> readinessPath(Pod pod) {
        Container container = pod.getSpec().getContainers().get(0);
        return Optional.ofNullable(container.getReadinessProbe()).map(p -> p.getHttpGet())
                .map(get -> get.getPath() == null ? "/" : get.getPath());
    }

    /** Probes like the kubelet (HTTP 200-399, or a TCP connect), every 100 ms until it passes. */
    private static void awaitReadiness(PodProcess process, Optional<String> httpPath, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (httpPath.isPresent() ? httpProbe(process.localPort(), httpPath.get()) : tcpProbe(process.localPort())) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("process on port " + process.localPort() + " did not pass its readiness probe "
                + httpPath.orElse("(TCP)") + " within " + timeout);
    }

    private static boolean httpProbe(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(1)).GET().build();
            int status = PROBES.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean tcpProbe(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
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
