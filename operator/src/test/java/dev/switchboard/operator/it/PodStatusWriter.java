package dev.switchboard.operator.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Plays kubelet and scheduler: the harness has no nodes, so tests write pod status themselves. */
public final class PodStatusWriter {
    private PodStatusWriter() {
    }

    public static void write(KubernetesClient client, Pod pod, PodStatus status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(p -> {
                    p.setStatus(status);
                    return p;
                });
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static PodStatus unschedulable(String message) {
        return new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage(message)
                .withLastTransitionTime(now()).endCondition().build();
    }

    public static PodStatus ready(Pod pod) {
        String container = pod.getSpec().getContainers().get(0).getName();
        String image = pod.getSpec().getContainers().get(0).getImage();
        return new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.1")
                .withConditions(List.of(
                        cond("PodScheduled"), cond("Initialized"), cond("ContainersReady"), cond("Ready")))
                .addNewContainerStatus().withName(container).withImage(image).withImageID(image)
                .withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState()
                .endContainerStatus().build();
    }

    private static io.fabric8.kubernetes.api.model.PodCondition cond(String type) {
        return new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(type).withStatus("True")
                .withLastTransitionTime(now()).build();
    }
}
