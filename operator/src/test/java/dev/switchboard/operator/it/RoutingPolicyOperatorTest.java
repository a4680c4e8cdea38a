package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The RoutingPolicy reconciler in-process against a real kube-apiserver + kube-controller-manager. */
class RoutingPolicyOperatorTest {
    static final String NS = "policies-it";
    static KubernetesClient client;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(client, NS);
        operator = InProcessOperator.start(client, OperatorConfig.defaults(), NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    Resource<RoutingPolicy> policy(String name) {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName(name);
    }

    static String reason(RoutingPolicy p, String type) {
        return p == null || p.getStatus() == null ? null
                : p.getStatus().condition(type).map(c -> c.getReason()).orElse(null);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void policyWithMissingExpertThenRouterReady() {
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: code, namespace: policies-it, labels: {switchboard.dev/composition: demo}}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                """, ExpertModel.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: policies-it}
                spec:
                  modelName: switchboard-coe
                  experts:
                    selector: {matchLabels: {switchboard.dev/composition: demo}}
                    names: [ghost]
                  strategy:
                    type: static
                    static: {experts: [{name: code}, {name: ghost}]}
                  router: {replicas: 2}
                """, RoutingPolicy.class)).create();

        // Router objects, all named <policy>-router and owned by the policy.
        // The reconciler applies the Service and the PDB after the Deployment, so wait for the last of them.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.apps().deployments().inNamespace(NS).withName("coe-router").get() != null
                        && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router")
                        .get() != null);
        assertThat(client.serviceAccounts().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.rbac().roles().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.rbac().roleBindings().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.services().inNamespace(NS).withName("coe-router").get().getSpec().getPorts().get(0)
                .getPort()).isEqualTo(8080);
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router").get())
                .isNotNull();
        assertThat(client.apps().deployments().inNamespace(NS).withName("coe-router").get().getMetadata()
                .getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("coe"));

        // The referenced expert "ghost" does not exist: a warning condition names it.
        await().atMost(Duration.ofSeconds(15)).until(() -> "ExpertNotFound".equals(reason(policy("coe").get(),
                "Degraded")));
        RoutingPolicy degraded = policy("coe").get();
        assertThat(degraded.getStatus().condition("Degraded").orElseThrow().getMessage()).contains("ghost");
        assertThat(degraded.getStatus().experts).extracting(e -> e.name + ":" + e.found)
                .containsExactlyInAnyOrder("code:true", "ghost:false");
        assertThat(degraded.getStatus().modelName).isEqualTo("switchboard-coe");
        assertThat(degraded.getStatus().endpoint).isEqualTo("http://coe-router.policies-it.svc:8080/v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "ExpertNotFound".equals(e.getReason())
                        && "coe".equals(e.getInvolvedObject().getName())));

        // The router (another field manager) writes status.routingTable; the operator must never clear it.
        policy("coe").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"routingTable\":{\"version\":7,\"routes\":[{\"route\":\"*\",\"expert\":\"code\","
                        + "\"readyEndpoints\":0}]}}}");

        // Creating the missing expert resolves ExpertNotFound; nothing is ready yet.
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: ghost, namespace: policies-it}
                spec:
                  model: {uri: "hf://org/ghost-7b"}
                """, ExpertModel.class)).create();
        await().atMost(Duration.ofSeconds(15)).until(() -> "NoReadyExpert".equals(reason(policy("coe").get(),
                "Degraded")));
        assertThat(policy("coe").get().getStatus().routingTable).isNotNull();
        assertThat(policy("coe").get().getStatus().routingTable.version).isEqualTo(7L);

        // Router pods become ready → the policy is Ready.
        await().atMost(Duration.ofSeconds(20)).until(() -> routerPods().size() == 2);
        for (Pod pod : routerPods()) {
            PodStatusWriter.write(client, pod, PodStatusWriter.ready(pod));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> policy("coe").get().getStatus().isTrue("Ready"));
        assertThat(reason(policy("coe").get(), "Ready")).isEqualTo("RouterAvailable");
        assertThat(policy("coe").get().getStatus().routingTable).isNotNull();

        // Scaling the router down to one replica removes the PDB.
        policy("coe").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"router\":{\"replicas\":1}}}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router").get() == null);
    }

    List<Pod> routerPods() {
        return client.pods().inNamespace(NS).withLabel("switchboard.dev/policy", "coe").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }
}
