package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With service-monitors=auto, a ServiceMonitor appears once the Prometheus Operator API is served. */
class ServiceMonitorTest {
    static final String NS = "monitor-it";
    static final ResourceDefinitionContext SERVICE_MONITORS = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withPlural("servicemonitors").withKind("ServiceMonitor")
            .withNamespaced(true).build();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void serviceMonitorForVllmMetrics() {
        KubernetesClient client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        InProcessOperator.createNamespace(client, NS);
        // A minimal stand-in for the Prometheus Operator's CRD (schema-less): only its API matters here.
        CustomResourceDefinition crd = Serialization.unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: servicemonitors.monitoring.coreos.com}
                spec:
                  group: monitoring.coreos.com
                  scope: Namespaced
                  names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """, CustomResourceDefinition.class);
        client.resource(crd).serverSideApply();
        dev.switchboard.testing.Crds.awaitEstablished(client, crd.getMetadata().getName());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.supports("monitoring.coreos.com/v1",
                "ServiceMonitor"));

        try (InProcessOperator operator = InProcessOperator.start(client,
                OperatorConfig.defaults().withServiceMonitors(OperatorConfig.MonitorMode.AUTO), NS)) {
            client.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: code, namespace: monitor-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                    """, ExpertModel.class)).create();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.genericKubernetesResources(SERVICE_MONITORS).inNamespace(NS).withName("code").get() != null);
            GenericKubernetesResource monitor = client.genericKubernetesResources(SERVICE_MONITORS).inNamespace(NS)
                    .withName("code").get();
            assertThat(monitor.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("ExpertModel"));
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
            assertThat(spec.get("endpoints").toString()).contains("port=http").contains("path=/metrics");
        } finally {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
        }
    }
}
