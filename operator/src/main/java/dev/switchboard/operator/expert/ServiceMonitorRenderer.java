package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;

import java.util.List;
import java.util.Map;

/** A Prometheus Operator ServiceMonitor scraping vLLM's /metrics through the expert's Service. */
public final class ServiceMonitorRenderer {
    public static final String API_VERSION = "monitoring.coreos.com/v1";
    public static final String KIND = "ServiceMonitor";

    private ServiceMonitorRenderer() {
    }

    public static GenericKubernetesResource render(ExpertModel expert) {
        String name = expert.getMetadata().getName();
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(name)
                .withNamespace(expert.getMetadata().getNamespace())
                .withLabels(ExpertLabels.of(expert))
                .withOwnerReferences(Owners.controllerRef(expert))
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", Map.of(
                                ExpertLabels.INSTANCE, name,
                                ExpertLabels.COMPONENT, "expert",
                                ExpertLabels.MANAGED_BY, ExpertLabels.OPERATOR)),
                        "endpoints", List.of(Map.of("port", "http", "path", "/metrics", "interval", "30s"))))
                .build();
    }
}
