package dev.switchboard.router;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.router.support.Http;
import dev.switchboard.testing.StandInExpert;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.switchboard.router.KubernetesModeProfile.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes mode on the real API server: an ExpertModel whose EndpointSlice points at a local stand-in becomes
 * routable, the policy status gets the routing table and the router's verdict, deleting the EndpointSlice stops
 * routing at once, and a policy the router cannot serve is reported in its status (accepted: false, naming the
 * field) until it is fixed.
 */
@QuarkusTest
@TestProfile(KubernetesModeProfile.class)
class KubernetesModeTest {
    static StandInExpert alpha;

    /** The router's own client: the profile's API server (the test class lives in another class loader). */
    @Inject
    KubernetesClient client;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void start() {
        alpha = new StandInExpert("k8s-alpha", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stop() {
        alpha.close();
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T load(Class<T> type, String yaml) {
        return client.getKubernetesSerialization().unmarshal(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), type);
    }

    @Test
    void routesToReadyEndpointsAndStopsWhenTheyGo() {
        Http http = new Http(url.toString());
        client.resource(load(ExpertModel.class, """
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: k8s-alpha, namespace: %s}
                spec:
                  model: {uri: "hf://example/alpha", servedName: alpha-served}
                  expertise: {categories: [general]}
                """.formatted(NAMESPACE))).create();
        client.resource(load(RoutingPolicy.class, """
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: k8s-static, namespace: %s}
                spec:
                  modelName: k8s-model
                  experts: {names: [k8s-alpha]}
                  strategy:
                    type: static
                    static:
                      experts: [{name: k8s-alpha, weight: 1}]
                """.formatted(NAMESPACE))).create();
        // Another policy in the namespace is not served by this router (switchboard.policy=k8s-static).
        client.resource(load(RoutingPolicy.class, """
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: k8s-other, namespace: %s}
                spec:
                  modelName: other-model
                  experts: {names: [k8s-alpha]}
                  strategy: {type: static, static: {experts: [{name: k8s-alpha}]}}
                """.formatted(NAMESPACE))).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/v1/models").body().contains("k8s-model"));
        // No endpoints yet: policy known, expert not routable.
        HttpResponse<String> early = http.post("/v1/chat/completions", Http.chat("k8s-model", "hello"));
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(http.post("/v1/chat/completions", Http.chat("other-model", "hello")).statusCode())
                .isEqualTo(404);

        // The API server refuses loopback IPs in EndpointSlices, so the slice names the stand-in by an FQDN that
        // src/test/resources/test-hosts maps to 127.0.0.1 for this router (KubernetesModeProfile).
        long created = System.nanoTime();
        alphaSlice("k8s-alpha-abc12");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("k8s-model", "hello"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        });
        long routableMs = (System.nanoTime() - created) / 1_000_000;
        System.out.println("[router-k8s] EndpointSlice ready -> routable in " + routableMs + " ms");

        HttpResponse<String> routed = http.post("/v1/chat/completions", Http.chat("k8s-model", "hello"));
        assertThat(routed.body()).contains("[k8s-alpha]");
        assertThat(routed.headers().firstValue("x-switchboard-strategy")).hasValue("static");
        assertThat(alpha.lastRequest().getString("model")).isEqualTo("alpha-served");
        assertThat(http.post("/v1/chat/completions", Http.chat("alpha-served", "pinned")).statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RoutingPolicy p = client.resources(RoutingPolicy.class).inNamespace(NAMESPACE).withName("k8s-static")
                    .get();
            assertThat(p.getStatus()).isNotNull();
            assertThat(p.getStatus().routingTable).isNotNull();
            // the router's verdict on the policy's current generation, which the operator's Ready condition reads
            assertThat(p.getStatus().routingTable.observedGeneration).isEqualTo(p.getMetadata().getGeneration());
            assertThat(p.getStatus().routingTable.accepted).isTrue();
            assertThat(p.getStatus().routingTable.message).isNull();
            assertThat(p.getStatus().routingTable.routes).singleElement().satisfies(r -> {
                assertThat(r.route).isEqualTo("*");
                assertThat(r.expert).isEqualTo("k8s-alpha");
                assertThat(r.readyEndpoints).isEqualTo(1);
            });
        });
        RoutingPolicy other = client.resources(RoutingPolicy.class).inNamespace(NAMESPACE).withName("k8s-other").get();
        assertThat(other.getStatus() == null || other.getStatus().routingTable == null).isTrue();

        client.resources(EndpointSlice.class).inNamespace(NAMESPACE).withName("k8s-alpha-abc12").delete();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                http.post("/v1/chat/completions", Http.chat("k8s-model", "hello")).statusCode() == 503);
        assertThat(new JsonObject(http.get("/v1/models").body()).encode()).doesNotContain("alpha-served");
        assertThat(http.get("/q/health/ready").statusCode()).isEqualTo(200);

        // A change the API server accepts but the router cannot serve: a route for a category no classifier can
        // predict. The router refuses the policy (404) and says why in status.routingTable, for that generation.
        var policy = client.resources(RoutingPolicy.class).inNamespace(NAMESPACE).withName("k8s-static");
        policy.patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"spec": {"embedding": {"builtin": "hashing"}, "strategy": {"type": "category", "static": null,
                  "category": {"routes": [{"category": "maths", "experts": [{"name": "k8s-alpha"}]}]}}}}""");
        long refused = policy.get().getMetadata().getGeneration();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var table = policy.get().getStatus().routingTable;
            assertThat(table.observedGeneration).isEqualTo(refused);
            assertThat(table.accepted).isFalse();
            assertThat(table.message).isEqualTo("spec.strategy.category.routes[0].category: unknown category "
                    + "'maths' (known: general)");
            assertThat(table.routes).isEmpty();
        });
        assertThat(http.post("/v1/chat/completions", Http.chat("k8s-model", "hello")).statusCode()).isEqualTo(404);

        // Fixed: served again, and the verdict follows.
        policy.patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"spec": {"strategy": {"category": {"routes": [{"category": "general",
                  "experts": [{"name": "k8s-alpha"}]}]}}}}""");
        long fixed = policy.get().getMetadata().getGeneration();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var table = policy.get().getStatus().routingTable;
            assertThat(table.observedGeneration).isEqualTo(fixed);
            assertThat(table.accepted).isTrue();
            assertThat(table.message).isNull();
            assertThat(table.routes).extracting(r -> r.route + "/" + r.expert).containsExactly("general/k8s-alpha");
        });
        assertThat(http.post("/v1/chat/completions", Http.chat("k8s-model", "hello")).statusCode()).isEqualTo(503);

        // A shadow: k8s-other (not served here) decides on k8s-model's requests; this router writes its status.shadow.
        alphaSlice("k8s-alpha-def34");
        policy.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"shadow\": {\"policy\": \"k8s-other\"}}}");
        long shadowed = policy.get().getMetadata().getGeneration();
        var shadow = client.resources(RoutingPolicy.class).inNamespace(NAMESPACE).withName("k8s-other");
        long alphaBefore = alpha.requests();
        int[] sent = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(http.post("/v1/chat/completions", Http.chat("k8s-model", "hello")).statusCode()).isEqualTo(200);
            sent[0]++;
            var status = shadow.get().getStatus() == null ? null : shadow.get().getStatus().shadow;
            assertThat(status).isNotNull();
            assertThat(status.of).isEqualTo("k8s-static");
            assertThat(status.liveGeneration).isEqualTo(shadowed);
            assertThat(status.decisions).isPositive();
            // both choose k8s-alpha: the live policy's route for general, the shadow's static weight
            assertThat(status.agreed).isEqualTo(status.decisions);
            assertThat(status.perCategory).extracting(c -> c.category).containsExactly("general");
        });
        assertThat(alpha.requests() - alphaBefore).as("one answer per request, none for the shadow")
                .isEqualTo(sent[0]);
        assertThat(shadow.get().getStatus().routingTable).as("k8s-other is not served here").isNull();
    }

    /** A ready EndpointSlice of k8s-alpha's Service naming the stand-in by the FQDN test-hosts maps to loopback. */
    private void alphaSlice(String name) {
        client.resource(load(EndpointSlice.class, """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s
                  namespace: %s
                  labels: {kubernetes.io/service-name: k8s-alpha}
                addressType: FQDN
                ports: [{name: http, port: %d, protocol: TCP}]
                endpoints:
                  - addresses: ["%s"]
                    conditions: {ready: true}
                """.formatted(name, NAMESPACE, alpha.port(), KubernetesModeProfile.STAND_IN_HOST))).create();
    }
}
