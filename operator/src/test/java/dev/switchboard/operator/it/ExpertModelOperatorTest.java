package dev.switchboard.operator.it;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.metrics.ExpertGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ExpertModel reconciler in-process against a real kube-apiserver + kube-controller-manager (GC,
 * Deployment → ReplicaSet → Pod). There is no kubelet or scheduler: the test writes pod status itself.
 */
class ExpertModelOperatorTest {
    static final String NS = "experts-it";
    static final String GPU_MESSAGE = "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.";
    static KubernetesClient client;
    static InProcessOperator operator;
    static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        // CRDs first: the garbage collector then knows ExpertModel as an owner kind from its first discovery.
        InProcessOperator.installCrds(client);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(client, NS);
        OperatorConfig config = OperatorConfig.defaults()
                .withTrust(TestResources.loopbackTrust())
                .withExternalProbeInterval(Duration.ofMillis(500))
                .withServiceMonitors(OperatorConfig.MonitorMode.AUTO);
        operator = InProcessOperator.start(client, config, NS, null, new ExpertGauges(metrics));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    static ExpertModel expert(String yaml) {
        return Serialization.unmarshal(yaml, ExpertModel.class);
    }

    Resource<ExpertModel> em(String name) {
        return client.resources(ExpertModel.class).inNamespace(NS).withName(name);
    }

    /** A user's edit as kubectl patch --type merge would send it: no resourceVersion, no conflict with status. */
    void mergePatch(String name, String json) {
        em(name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    static String reason(ExpertModel e, String type) {
        return e.getStatus() == null ? null : e.getStatus().condition(type).map(c -> c.getReason()).orElse(null);
    }

    /** The operator's gauge for an expert of this namespace, null when it is not registered. */
    static Double gauge(String name, String expert) {
        var gauge = metrics.find(name).tags("namespace", NS, "expert", expert).gauge();
        return gauge == null ? null : gauge.value();
    }

    List<Pod> livePods(String expert) {
        return client.pods().inNamespace(NS).withLabel("switchboard.dev/expert", expert).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deployedExpertLifecycle() {
        long t0 = System.nanoTime();
        client.resource(expert("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata:
                  name: math
                  namespace: experts-it
                  labels: {switchboard.dev/composition: demo}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct", servedName: qwen-math}
                  engine: {maxModelLen: 4096, args: ["--enable-prefix-caching"]}
                  resources: {gpus: 1}
                  replicas: 1
                """)).create();
        Resource<Deployment> deployment = client.apps().deployments().inNamespace(NS).withName("math");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> deployment.get() != null);
        long createToDeploymentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[switchboard-latency] create ExpertModel -> Deployment exists: %d ms%n",
                createToDeploymentMs);

        Deployment d = deployment.get();
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ExpertModel");
            assertThat(o.getController()).isTrue();
        });
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSequence("--served-model-name", "qwen-math").contains("--enable-prefix-caching");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.services().inNamespace(NS).withName("math").get()
                != null);
        assertThat(client.services().inNamespace(NS).withName("math").get().getSpec().getPorts())
                .singleElement().satisfies(p -> assertThat(p.getName()).isEqualTo("http"));

        // Status appears: no pod is ready yet.
        await().atMost(Duration.ofSeconds(10)).until(() -> em("math").get().getStatus() != null
                && em("math").get().getStatus().selector != null);
        ExpertModel created = em("math").get();
        assertThat(created.getStatus().selector).isEqualTo("switchboard.dev/expert=math");
        assertThat(created.getStatus().endpoint).isEqualTo("http://math.experts-it.svc:8000/v1");
        assertThat(created.getStatus().isTrue("Ready")).isFalse();
        // Fields other managers set on the Deployment (here an annotation, as kubectl annotate would) survive
        // reconciles: server-side apply only touches what the operator owns.
        // a merge patch without resourceVersion, as kubectl annotate sends (an edit would race the controllers)
        deployment.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"example.com/owner\":\"platform-team\"}}}");

        // The controller-manager creates the pod; the "scheduler" finds no GPU.
        await().atMost(Duration.ofSeconds(20)).until(() -> !livePods("math").isEmpty());
        Pod pod = livePods("math").get(0);
        PodStatusWriter.write(client, pod, PodStatusWriter.unschedulable(GPU_MESSAGE));
        await().atMost(Duration.ofSeconds(15)).until(() -> "Unschedulable".equals(reason(em("math").get(),
                "Degraded")));
        ExpertModel degraded = em("math").get();
        assertThat(degraded.getStatus().isTrue("Degraded")).isTrue();
        assertThat(degraded.getStatus().condition("Degraded").orElseThrow().getMessage()).contains(GPU_MESSAGE);
        assertThat(degraded.getStatus().phase).isEqualTo("Degraded");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "Unschedulable".equals(e.getReason())
                        && "math".equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(ExpertGauges.UNSCHEDULABLE, "math")).isEqualTo(1.0);
            assertThat(gauge(ExpertGauges.READY, "math")).isEqualTo(0.0);
        });
        String degradedSince = degraded.getStatus().condition("Degraded").orElseThrow().getLastTransitionTime();

        // A GPU frees up: the pod is scheduled, vLLM loads and passes readiness.
        long t1 = System.nanoTime();
        PodStatusWriter.write(client, pod, PodStatusWriter.ready(client.pods().resource(pod).get()));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> em("math").get().getStatus().isTrue("Ready"));
        long podReadyToExpertReadyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        System.out.printf("[switchboard-latency] pod Ready -> ExpertModel Ready: %d ms%n", podReadyToExpertReadyMs);
        ExpertModel ready = em("math").get();
        assertThat(ready.getStatus().phase).isEqualTo("Ready");
        // the reconciler sets the gauges right after its status patch, which the test may see first
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(ExpertGauges.READY, "math")).isEqualTo(1.0);
            assertThat(gauge(ExpertGauges.UNSCHEDULABLE, "math")).isEqualTo(0.0);
        });
        assertThat(ready.getStatus().readyReplicas).isEqualTo(1);
        assertThat(ready.getStatus().isTrue("Degraded")).isFalse();
        assertThat(ready.getStatus().condition("Degraded").orElseThrow().getLastTransitionTime())
                .isGreaterThanOrEqualTo(degradedSince);
        assertThat(ready.getStatus().observedGeneration).isEqualTo(ready.getMetadata().getGeneration());

        // Scale subresource (kubectl scale) rolls through to the Deployment.
        em("math").scale(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment.get().getSpec().getReplicas() == 3);

        // Changing engine args rolls the Deployment's pod template.
        mergePatch("math", "{\"spec\":{\"engine\":{\"args\":[\"--enable-prefix-caching\",\"--max-num-seqs\","
                + "\"32\"]}}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment.get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getArgs().contains("--max-num-seqs"));
        await().atMost(Duration.ofSeconds(10)).until(() -> em("math").get().getStatus().observedGeneration
                .equals(em("math").get().getMetadata().getGeneration()));

        assertThat(deployment.get().getMetadata().getAnnotations()).containsEntry("example.com/owner",
                "platform-team");

        // Steady-state latency: more experts, once the JVM and informers are warm.
        List<Long> warm = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = i == 0 ? "math-warm" : "math-warm-" + i;
            long t2 = System.nanoTime();
            client.resource(expert("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: %s, namespace: experts-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-Math-1.5B-Instruct"}
                    """.formatted(name))).create();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() ->
                    client.apps().deployments().inNamespace(NS).withName(name).get() != null);
            warm.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t2));
        }
        System.out.printf("[switchboard-latency] create ExpertModel -> Deployment exists (warm, 5 samples): %s ms%n",
                warm);
        for (int i = 1; i < 5; i++) {
            em("math-warm-" + i).delete();
        }
        // Switching it to an external endpoint removes its workload.
        mergePatch("math-warm", "{\"spec\":{\"model\":null,\"resources\":null,"
                + "\"external\":{\"url\":\"http://127.0.0.1:1/v1\"}}}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.apps().deployments().inNamespace(NS).withName("math-warm").get() == null);
        em("math-warm").delete();

        // Deleting the expert garbage-collects what it owns (kube-controller-manager's GC).
        em("math").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment.get() == null
                && client.services().inNamespace(NS).withName("math").get() == null);
        // ... and the operator stops reporting it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gauge(ExpertGauges.READY, "math")).isNull();
            assertThat(gauge(ExpertGauges.UNSCHEDULABLE, "math")).isNull();
            assertThat(gauge(ExpertGauges.READY, "math-warm")).isNull();
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void externalExpertIsProbed() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/models", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"object\":\"list\",\"data\":[{\"id\":\"frontier-large\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try {
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("frontier-key")
                    .endMetadata().addToStringData("api-key", "sk-test").build()).create();
            client.resource(expert("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: frontier, namespace: experts-it}
                    spec:
                      external:
                        url: http://127.0.0.1:%d/v1
                        model: frontier-large
                        apiKeySecretRef: {name: frontier-key, key: api-key}
                    """.formatted(port))).create();
            await().atMost(Duration.ofSeconds(15)).until(() -> em("frontier").get().getStatus() != null
                    && em("frontier").get().getStatus().isTrue("Ready"));
            // The operator holds no API keys: the router sends them; the probe goes without credentials.
            assertThat(authorizations).isNotEmpty().containsOnly("null");
            assertThat(em("frontier").get().getStatus().phase).isEqualTo("Ready");
            assertThat(client.apps().deployments().inNamespace(NS).withName("frontier").get()).isNull();
        } finally {
            server.stop(0);
        }
        // The endpoint goes away: the periodic probe notices.
        await().atMost(Duration.ofSeconds(15)).until(() -> "EndpointUnreachable".equals(
                reason(em("frontier").get(), "Degraded")));
        assertThat(em("frontier").get().getStatus().isTrue("Ready")).isFalse();
        em("frontier").delete();
    }
}
