package dev.switchboard.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionSetTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void newConditionsGetNowAndAreTransitions() {
        ConditionSet set = new ConditionSet(null, 3L, T0).set("Ready", false, "Scheduling", "waiting");
        Condition ready = set.conditions().get(0);
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(set.transitions()).containsExactly(
                new ConditionSet.Transition("Ready", "False", "Scheduling", "waiting"));
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenStatusChanges() {
        List<Condition> before = new ConditionSet(null, 1L, T0).set("Ready", false, "Scheduling", "a").conditions();

        ConditionSet sameStatus = new ConditionSet(before, 1L, T1).set("Ready", false, "LoadingModel", "b");
        assertThat(sameStatus.conditions().get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(sameStatus.conditions().get(0).getReason()).isEqualTo("LoadingModel");
        assertThat(sameStatus.transitions()).hasSize(1); // reason changed: worth an event

        ConditionSet unchanged = new ConditionSet(sameStatus.conditions(), 1L, T1).set("Ready", false,
                "LoadingModel", "b");
        assertThat(unchanged.transitions()).isEmpty();
        assertThat(unchanged.conditions()).isEqualTo(sameStatus.conditions());

        ConditionSet flipped = new ConditionSet(before, 2L, T1).set("Ready", true, "ReplicasReady", "1/1");
        assertThat(flipped.conditions().get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(flipped.isTrue("Ready")).isTrue();
    }

    @Test
    void warningsAreDegradedTrue() {
        assertThat(new ConditionSet.Transition("Degraded", "True", "Unschedulable", "").isWarning()).isTrue();
        assertThat(new ConditionSet.Transition("Ready", "False", "Scheduling", "").isWarning()).isFalse();
        assertThat(new ConditionSet.Transition("Ready", "True", "X", "").isWarning()).isFalse();
        assertThat(new ConditionSet.Transition("Progressing", "False", "X", "").isWarning()).isFalse();
        assertThat(new ConditionSet.Transition("Degraded", "False", "X", "").isWarning()).isFalse();
    }
}
