package dev.switchboard.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpertGaugesTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ExpertGauges gauges = new ExpertGauges(registry);

    static ExpertModelStatus status(String ready, String degraded, String degradedReason) {
        ExpertModelStatus status = new ExpertModelStatus();
        status.conditions.add(condition("Ready", ready, "True".equals(ready) ? "ReplicasReady" : "NoReplicaReady"));
        status.conditions.add(condition("Degraded", degraded, degradedReason));
        return status;
    }

    static Condition condition(String type, String status, String reason) {
        Condition c = new Condition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        return c;
    }

    Gauge gauge(String name, String namespace, String expert) {
        return registry.find(name).tags("namespace", namespace, "expert", expert).gauge();
    }

    @Test
    void readyAndUnschedulableFollowTheLastComputedStatus() {
        gauges.update("llm", "math", "uid-math", status("False", "True", "Unschedulable"));
        gauges.update("llm", "code", "uid-code", status("True", "False", "AsExpected"));

        assertThat(gauge("switchboard.expert.ready", "llm", "math").value()).isEqualTo(0);
        assertThat(gauge("switchboard.expert.unschedulable", "llm", "math").value()).isEqualTo(1);
        assertThat(gauge("switchboard.expert.ready", "llm", "code").value()).isEqualTo(1);
        assertThat(gauge("switchboard.expert.unschedulable", "llm", "code").value()).isEqualTo(0);

        gauges.update("llm", "math", "uid-math", status("True", "False", "AsExpected"));
        assertThat(gauge("switchboard.expert.ready", "llm", "math").value()).isEqualTo(1);
        assertThat(gauge("switchboard.expert.unschedulable", "llm", "math").value()).isEqualTo(0);
        // one meter per expert and name, however often it is updated
        assertThat(registry.find("switchboard.expert.ready").gauges()).hasSize(2);
    }

    @Test
    void otherDegradedReasonsAndMissingConditionsAreNotUnschedulable() {
        gauges.update("llm", "crash", "uid-crash", status("False", "True", "CrashLoopBackOff"));
        gauges.update("llm", "fresh", "uid-fresh", null);
        gauges.update("llm", "empty", "uid-empty", new ExpertModelStatus());
        // a stale reason on a condition that is no longer True does not count
        gauges.update("llm", "recovered", "uid-recovered", status("False", "False", "Unschedulable"));

        for (String expert : new String[]{"crash", "fresh", "empty", "recovered"}) {
            assertThat(gauge("switchboard.expert.ready", "llm", expert).value()).as(expert).isEqualTo(0);
            assertThat(gauge("switchboard.expert.unschedulable", "llm", expert).value()).as(expert).isEqualTo(0);
        }
    }

    @Test
    void sameNameInAnotherNamespaceIsAnotherExpert() {
        gauges.update("team-a", "math", "uid-a-math", status("True", "False", "AsExpected"));
        gauges.update("team-b", "math", "uid-b-math", status("False", "True", "Unschedulable"));

        assertThat(gauge("switchboard.expert.ready", "team-a", "math").value()).isEqualTo(1);
        assertThat(gauge("switchboard.expert.ready", "team-b", "math").value()).isEqualTo(0);
        assertThat(gauge("switchboard.expert.unschedulable", "team-b", "math").value()).isEqualTo(1);
    }

    @Test
    void removeUnregistersTheExpertsMetersOnly() {
        gauges.update("llm", "math", "uid-math", status("False", "True", "Unschedulable"));
        gauges.update("llm", "code", "uid-code", status("True", "False", "AsExpected"));

        gauges.remove("llm", "math", "uid-math");
        gauges.remove("llm", "never-seen", "uid-never-seen"); // deletions of experts never reconciled are harmless

        assertThat(gauge("switchboard.expert.ready", "llm", "math")).isNull();
        assertThat(gauge("switchboard.expert.unschedulable", "llm", "math")).isNull();
        assertThat(gauge("switchboard.expert.ready", "llm", "code").value()).isEqualTo(1);
        assertThat(registry.getMeters()).hasSize(2);

        // an expert re-created under the same name is reported again
        gauges.update("llm", "math", "uid-math-2", status("True", "False", "AsExpected"));
        assertThat(gauge("switchboard.expert.ready", "llm", "math").value()).isEqualTo(1);
    }

    @Test
    void aReconcileFinishingAfterTheDeletionDoesNotBringTheExpertBack() {
        gauges.update("llm", "math", "uid-1", status("True", "False", "AsExpected"));
        gauges.remove("llm", "math", "uid-1");
        gauges.update("llm", "math", "uid-1", status("True", "False", "AsExpected"));

        assertThat(gauge("switchboard.expert.ready", "llm", "math")).isNull();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aLateDeletionOfTheOldExpertKeepsTheRecreatedOne() {
        gauges.update("llm", "math", "uid-1", status("False", "True", "Unschedulable"));
        // re-created under the same name and reconciled before the old one's deletion event arrives
        gauges.update("llm", "math", "uid-2", status("True", "False", "AsExpected"));
        gauges.remove("llm", "math", "uid-1");

        assertThat(gauge("switchboard.expert.ready", "llm", "math").value()).isEqualTo(1);
        assertThat(gauge("switchboard.expert.unschedulable", "llm", "math").value()).isEqualTo(0);
    }

    @Test
    void deletedUidsAreRememberedBoundedly() {
        for (int i = 0; i <= ExpertGauges.DELETED_REMEMBERED; i++) {
            gauges.remove("llm", "gone-" + i, "uid-gone-" + i);
        }
        // the oldest tombstone was dropped: an (impossible in practice) late reconcile of it registers again
        gauges.update("llm", "gone-0", "uid-gone-0", status("True", "False", "AsExpected"));
        assertThat(gauge("switchboard.expert.ready", "llm", "gone-0")).isNotNull();
        gauges.update("llm", "gone-1", "uid-gone-1", status("True", "False", "AsExpected"));
        assertThat(gauge("switchboard.expert.ready", "llm", "gone-1")).isNull();
    }
}
