package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.K3sCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same flow on k3s (Testcontainers): a real scheduler finds no GPU on the k3s node, so the expert must
 * report Degraded/Unschedulable quoting it. Skipped when no Docker engine answers.
 */
class K3sOperatorTest {
    static final String NS = "k3s-it";

    @Test
    void expertOnGpulessClusterIsUnschedulableAndPolicyNamesMissingExpert() {
        KubernetesClient client = K3sCluster.clientOrSkip();
        InProcessOperator.installCrds(client);
        InProcessOperator.createNamespace(client, NS);
        try (InProcessOperator operator = InProcessOperator.start(client, OperatorConfig.defaults(), NS)) {
            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: math, namespace: k3s-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct"}
                      resources: {gpus: 1}
                    """, ExpertModel.class)).create();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.apps().deployments().inNamespace(NS).withName("math").get() != null);
            await().atMost(Duration.ofSeconds(45)).until(() -> {
                ExpertModel e = client.resources(ExpertModel.class).inNamespace(NS).withName("math").get();
                return e.getStatus() != null && e.getStatus().condition("Degraded")
                        .map(c -> "Unschedulable".equals(c.getReason())).orElse(false);
            });
            assertThat(client.resources(ExpertModel.class).inNamespace(NS).withName("math").get().getStatus()
                    .condition("Degraded").orElseThrow().getMessage()).contains("nvidia.com/gpu");

            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: RoutingPolicy
                    metadata: {name: coe, namespace: k3s-it}
                    spec:
                      experts: {names: [math, ghost]}
                      strategy: {type: static, static: {experts: [{name: math}, {name: ghost}]}}
                    """, RoutingPolicy.class)).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                RoutingPolicy p = client.resources(RoutingPolicy.class).inNamespace(NS).withName("coe").get();
                return p.getStatus() != null && p.getStatus().condition("Degraded")
                        .map(c -> "ExpertNotFound".equals(c.getReason())).orElse(false);
            });

            client.resources(ExpertModel.class).inNamespace(NS).withName("math").delete();
            await().atMost(Duration.ofSeconds(45)).until(() ->
                    client.apps().deployments().inNamespace(NS).withName("math").get() == null);
        }
    }
}
