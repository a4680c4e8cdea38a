package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.operator.TestResources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ExpertStatusCalculatorTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Duration BUDGET = Duration.ofMinutes(30);
    static final String GPU_MESSAGE = "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.";

    private final ExpertModel math = TestResources.example("math");
    private final Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("math").endMetadata()
            .withNewStatus().withReplicas(1).endStatus().build();

    static Pod pod(String name, PodStatus status) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("llm")
                .withCreationTimestamp("2026-01-01T11:00:00Z").endMetadata()
                .withNewSpec().withNodeName(status.getConditions().stream()
                        .anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("True"))
                        ? "gpu-node-1" : null).endSpec()
                .withStatus(status).build();
    }

    static PodStatus unschedulable() {
        return new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage(GPU_MESSAGE).endCondition().build();
    }

    static PodStatus waiting(String reason, String message) {
        return new PodStatusBuilder().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewContainerStatus().withName("vllm").withImage("vllm/vllm-openai:v0.11.0").withReady(false)
                .withRestartCount(reason.equals("CrashLoopBackOff") ? 5 : 0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .endContainerStatus().build();
    }

    static PodStatus running(String startedAt, boolean started, boolean ready) {
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("vllm").withImage("vllm/vllm-openai:v0.11.0").withReady(ready)
                .withStarted(started).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(startedAt).endRunning().endState()
                .endContainerStatus().build();
    }

    private ExpertModelStatus compute(Pod... pods) {
        return ExpertStatusCalculator.compute(math, Optional.of(deployment), List.of(pods), BUDGET, NOW).status();
    }

    private static String reason(ExpertModelStatus s, String type) {
        return s.condition(type).orElseThrow().getReason();
    }

    @Test
    void noDeploymentYetIsPendingCreation() {
        var s = ExpertStatusCalculator.compute(math, Optional.empty(), List.of(), BUDGET, NOW).status();
        assertThat(s.phase).isEqualTo("Pending");
        assertThat(reason(s, "Progressing")).isEqualTo("DeploymentCreating");
        assertThat(s.selector).isEqualTo("switchboard.dev/expert=math");
        assertThat(s.endpoint).isEqualTo("http://math.llm.svc:8000/v1");
        assertThat(s.servedModelName).isEqualTo("qwen2.5-math-7b");
        assertThat(s.observedGeneration).isEqualTo(1L);
    }

    @Test
    void unschedulableQuotesTheScheduler() {
        var s = compute(pod("math-1", unschedulable()));
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.isTrue("Degraded")).isTrue();
        assertThat(reason(s, "Degraded")).isEqualTo("Unschedulable");
        assertThat(s.condition("Degraded").orElseThrow().getMessage()).contains(GPU_MESSAGE);
        assertThat(s.phase).isEqualTo("Degraded");
    }

    @Test
    void pendingWithoutConditionIsScheduling() {
        var s = compute(pod("math-1", new PodStatusBuilder().withPhase("Pending").build()));
        assertThat(reason(s, "Progressing")).isEqualTo("Scheduling");
        assertThat(s.isTrue("Degraded")).isFalse();
        assertThat(s.phase).isEqualTo("Progressing");
    }

    @Test
    void containerCreatingIsPullingImage() {
        var s = compute(pod("math-1", waiting("ContainerCreating", "")));
        assertThat(reason(s, "Progressing")).isEqualTo("PullingImage");
    }

    @Test
    void imagePullBackOffAndCrashLoopAreDegraded() {
        var pull = compute(pod("math-1", waiting("ImagePullBackOff", "Back-off pulling image")));
        assertThat(reason(pull, "Degraded")).isEqualTo("ImagePullBackOff");
        assertThat(pull.condition("Degraded").orElseThrow().getMessage()).contains("vllm/vllm-openai:v0.11.0");
        var crash = compute(pod("math-1", waiting("CrashLoopBackOff", "back-off 5m0s")));
        assertThat(reason(crash, "Degraded")).isEqualTo("CrashLoopBackOff");
        assertThat(crash.condition("Degraded").orElseThrow().getMessage()).contains("5 restarts");
        var config = compute(pod("math-1", waiting("CreateContainerConfigError", "secret \"hf-token\" not found")));
        assertThat(reason(config, "Degraded")).isEqualTo("CreateContainerConfigError");
    }

    @Test
    void runningButNotStartedIsLoadingThenTooSlow() {
        var loading = compute(pod("math-1", running("2026-01-01T11:50:00Z", false, false)));
        assertThat(reason(loading, "Progressing")).isEqualTo("LoadingModel");
        assertThat(loading.isTrue("Degraded")).isFalse();
        var slow = compute(pod("math-1", running("2026-01-01T11:00:00Z", false, false)));
        assertThat(reason(slow, "Degraded")).isEqualTo("StartupTooSlow");
        assertThat(slow.condition("Degraded").orElseThrow().getMessage()).contains("60m").contains("30m");
    }

    @Test
    void killedByTheStartupProbeIsTooSlowNotJustACrash() {
        PodStatus status = waiting("CrashLoopBackOff", "back-off 5m0s");
        status.getContainerStatuses().get(0).setStarted(false);
        status.getContainerStatuses().get(0).setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                .withNewTerminated().withExitCode(137).withReason("Error")
                .withStartedAt("2026-01-01T11:00:00Z").withFinishedAt("2026-01-01T11:30:05Z").endTerminated()
                .build());
        var s = compute(pod("math-1", status));
        assertThat(reason(s, "Degraded")).isEqualTo("StartupTooSlow");
        assertThat(s.condition("Degraded").orElseThrow().getMessage()).contains("startup-probe-budget");

        // A quick crash is a crash.
        status.getContainerStatuses().get(0).getLastState().getTerminated().setFinishedAt("2026-01-01T11:00:40Z");
        assertThat(reason(compute(pod("math-1", status)), "Degraded")).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void oneReadyPodMakesItReady() {
        var s = compute(pod("math-1", running("2026-01-01T11:50:00Z", true, true)));
        assertThat(s.isTrue("Ready")).isTrue();
        assertThat(reason(s, "Ready")).isEqualTo("ReplicasReady");
        assertThat(reason(s, "Progressing")).isEqualTo("RolloutComplete");
        assertThat(s.isTrue("Progressing")).isFalse();
        assertThat(s.readyReplicas).isEqualTo(1);
        assertThat(s.phase).isEqualTo("Ready");
    }

    @Test
    void readyButOneReplicaUnschedulableIsReadyAndDegraded() {
        math.getSpec().replicas = 2;
        var s = compute(pod("math-1", running("2026-01-01T11:50:00Z", true, true)), pod("math-2", unschedulable()));
        assertThat(s.isTrue("Ready")).isTrue();
        assertThat(s.isTrue("Degraded")).isTrue();
        assertThat(reason(s, "Degraded")).isEqualTo("Unschedulable");
        assertThat(s.replicas).isEqualTo(2);
        assertThat(s.readyReplicas).isEqualTo(1);
    }

    @Test
    void scaledToZero() {
        math.getSpec().replicas = 0;
        var s = compute();
        assertThat(reason(s, "Ready")).isEqualTo("ScaledToZero");
        assertThat(s.isTrue("Progressing")).isFalse();
    }

    @Test
    void recomputingAnUnchangedWorldKeepsTimestamps() {
        var first = compute(pod("math-1", unschedulable()));
        math.setStatus(first);
        var again = ExpertStatusCalculator.compute(math, Optional.of(deployment),
                List.of(pod("math-1", unschedulable())), BUDGET, NOW.plusSeconds(600));
        assertThat(again.status().conditions).isEqualTo(first.conditions);
        assertThat(again.transitions()).isEmpty();
    }

    @Test
    void externalReachableAndNot() {
        ExpertModel frontier = TestResources.example("external");
        var up = ExpertStatusCalculator.external(frontier,
                new ExternalProbe.Outcome(true, "EndpointReachable", "GET ok"), NOW).status();
        assertThat(up.phase).isEqualTo("Ready");
        assertThat(up.isTrue("Ready")).isTrue();
        assertThat(up.endpoint).isEqualTo("https://llm.example.com/v1");
        assertThat(up.replicas).isNull();
        var down = ExpertStatusCalculator.external(frontier,
                new ExternalProbe.Outcome(false, "EndpointUnreachable", "refused"), NOW).status();
        assertThat(down.phase).isEqualTo("Degraded");
        assertThat(reason(down, "Degraded")).isEqualTo("EndpointUnreachable");
    }
}
