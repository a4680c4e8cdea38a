package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged Quarkus operator boots against the real API server, reconciles, and serves health and metrics. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = true)
class OperatorApplicationTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    OperatorConfig config;

    private final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConfigurationMapsTheExpertApiKeySettings() {
        // switchboard.operator.expert-api-keys.* (chart env SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_*): off, and the
        // admin's Secret name by default.
        assertThat(config.expertApiKeys()).isEqualTo(new OperatorConfig.ExpertApiKeys(false,
                "switchboard-expert-api-key"));
    }

    @Test
    void reconcilesAndServesHealthAndMetrics() throws Exception {
        try (KubernetesClient client = KubeApiServer.shared().client()) {
            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: boot, namespace: quarkus-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"}
                      resources: {gpus: 0}
                    """, ExpertModel.class)).create();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.apps().deployments().inNamespace(KubeApiServerResource.NS).withName("boot").get() != null);
            var container = client.apps().deployments().inNamespace(KubeApiServerResource.NS).withName("boot").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).isEqualTo("vllm/vllm-openai:v0.11.0");
            assertThat(container.getArgs()).doesNotContain("--tensor-parallel-size");
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        });
        assertThat(get("/q/health/live").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("operator_sdk_reconciliations").contains("expertmodel");
        });
        get("/q/metrics").body().lines().filter(l -> l.startsWith("operator_sdk"))
                .map(l -> l.replaceAll("\\{.*", "")).distinct().sorted()
                .forEach(name -> System.out.println("[switchboard-metric] " + name));
    }

    /**
     * The per-expert gauges the alerts in helm/switchboard/files/prometheus-rules.yaml query, as Prometheus
     * scrapes them: exact names, labels namespace and expert; gone once the ExpertModel is deleted.
     */
    @Test
    void exportsExpertGauges() throws Exception {
        String ns = KubeApiServerResource.NS;
        try (KubernetesClient client = KubeApiServer.shared().client()) {
            KubeApiServer.shared().withControllerManager(); // Deployment -> ReplicaSet -> Pod
            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: gauged, namespace: quarkus-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"}
                      resources: {gpus: 1}
                    """, ExpertModel.class)).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(expertGauge("switchboard_expert_ready", ns, "gauged")).isEqualTo(0.0);
                assertThat(expertGauge("switchboard_expert_unschedulable", ns, "gauged")).isEqualTo(0.0);
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> !client.pods().inNamespace(ns)
                    .withLabel("switchboard.dev/expert", "gauged").list().getItems().isEmpty());
            Pod pod = client.pods().inNamespace(ns).withLabel("switchboard.dev/expert", "gauged").list()
                    .getItems().get(0);
            PodStatusWriter.write(client, pod,
                    PodStatusWriter.unschedulable("0/4 nodes are available: 4 Insufficient nvidia.com/gpu."));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(expertGauge("switchboard_expert_unschedulable", ns, "gauged")).isEqualTo(1.0);
                assertThat(expertGauge("switchboard_expert_ready", ns, "gauged")).isEqualTo(0.0);
            });

            PodStatusWriter.write(client, pod, PodStatusWriter.ready(client.pods().resource(pod).get()));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(expertGauge("switchboard_expert_ready", ns, "gauged")).isEqualTo(1.0);
                assertThat(expertGauge("switchboard_expert_unschedulable", ns, "gauged")).isEqualTo(0.0);
            });

            client.resources(ExpertModel.class).inNamespace(ns).withName("gauged").delete();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(expertGauge("switchboard_expert_ready", ns, "gauged")).isNull();
                assertThat(expertGauge("switchboard_expert_unschedulable", ns, "gauged")).isNull();
            });
        }
    }

    /**
     * As packaged (QOSDK's configuration, not only the annotation): the router's verdict, a status-only change,
     * triggers a reconcile, so Ready follows it.
     */
    @Test
    void aPolicyTurnsReadyOnTheRoutersVerdict() {
        String ns = KubeApiServerResource.NS;
        try (KubernetesClient client = KubeApiServer.shared().client()) {
            KubeApiServer.shared().withControllerManager();
            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: RoutingPolicy
                    metadata: {name: verdict, namespace: quarkus-it}
                    spec:
                      experts: {names: [boot]}
                      strategy: {type: semantic}
                    """, RoutingPolicy.class)).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> !client.pods().inNamespace(ns)
                    .withLabel("switchboard.dev/policy", "verdict").list().getItems().isEmpty());
            Pod pod = client.pods().inNamespace(ns).withLabel("switchboard.dev/policy", "verdict").list().getItems()
                    .get(0);
            PodStatusWriter.write(client, pod, PodStatusWriter.ready(pod));
            var policy = client.resources(RoutingPolicy.class).inNamespace(ns).withName("verdict");
            await().atMost(Duration.ofSeconds(30)).until(() -> policy.get().getStatus() != null && "AwaitingRouter"
                    .equals(policy.get().getStatus().condition("Ready").orElseThrow().getReason()));

            policy.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"routingTable\":"
                    + "{\"version\":1,\"observedGeneration\":1,\"accepted\":true,\"routes\":[]}}}");
            await().atMost(Duration.ofSeconds(15)).until(() -> policy.get().getStatus().isTrue("Ready"));
        }
    }

    /** The value of {@code name{namespace="..",expert=".."}} in the Prometheus exposition, null when absent. */
    Double expertGauge(String name, String namespace, String expert) throws Exception {
        HttpResponse<String> metrics = get("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Pattern line = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$");
        return metrics.body().lines().map(line::matcher).filter(Matcher::matches)
                .filter(m -> labels(m.group(1)).equals(Map.of("namespace", namespace, "expert", expert)))
                .map(m -> Double.parseDouble(m.group(2))).findFirst().orElse(null);
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }
}
