package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** ExpertModel → ClusterIP Service named like the expert; the router finds its EndpointSlices by that name. */
public final class ExpertServiceRenderer {
    private ExpertServiceRenderer() {
    }

    public static Service render(ExpertModel expert) {
        String name = expert.getMetadata().getName();
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(expert.getMetadata().getNamespace())
                .withLabels(ExpertLabels.of(expert))
                .withOwnerReferences(Owners.controllerRef(expert))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(ExpertLabels.selector(name))
                .addNewPort().withName("http").withProtocol("TCP").withPort(ExpertDeploymentRenderer.PORT)
                .withTargetPort(new IntOrString(ExpertDeploymentRenderer.PORT)).endPort()
                .endSpec()
                .build();
    }

    public static String endpoint(ExpertModel expert) {
        return "http://" + expert.getMetadata().getName() + "." + expert.getMetadata().getNamespace()
                + ".svc:" + ExpertDeploymentRenderer.PORT + "/v1";
    }
}
