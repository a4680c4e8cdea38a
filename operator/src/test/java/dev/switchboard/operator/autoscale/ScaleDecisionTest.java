package dev.switchboard.operator.autoscale;

import dev.switchboard.api.v1alpha1.AutoscalingSpec;
import dev.switchboard.api.v1alpha1.DemandStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in autoscaler's rule: up at once (from zero on any demand), down only after scaleDownDelay. */
class ScaleDecisionTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    static AutoscalingSpec spec(int min, int max, int target, String delay) {
        AutoscalingSpec s = new AutoscalingSpec();
        s.minReplicas = min;
        s.maxReplicas = max;
        s.targetInFlightPerReplica = target;
        s.scaleDownDelay = delay;
        return s;
    }

    @Test
    void aHeldRequestStartsAnExpertAtZero() {
        ScaleDecision d = ScaleDecision.decide(spec(0, 4, 8, "5m"), 0, new ExpertDemand(0, 0, 1, 0), null, T0);
        assertThat(d.replicas()).isEqualTo(1);
        assertThat(d.message()).startsWith("scaling up to 1: demand 0 in flight (1 held");
    }

    @Test
    void divertedDemandCountsLikeServedDemand() {
        assertThat(ScaleDecision.decide(spec(0, 4, 8, "5m"), 0, new ExpertDemand(0, 3, 0, 3), null, T0).replicas())
                .isEqualTo(1);
        assertThat(ScaleDecision.decide(spec(0, 4, 8, "5m"), 1, new ExpertDemand(20, 90, 0, 12), T0, T0).replicas())
                .isEqualTo(3);
        assertThat(ScaleDecision.decide(spec(0, 2, 8, "5m"), 1, new ExpertDemand(200, 900, 0, 0), T0, T0)
                .replicas()).isEqualTo(2);
    }

    @Test
    void scalesDownOnlyAfterTheDelayAndThenToZero() {
        AutoscalingSpec spec = spec(0, 4, 8, "5m");
        ScaleDecision waiting = ScaleDecision.decide(spec, 2, ExpertDemand.NONE, T0, T0.plus(Duration.ofMinutes(4)));
        assertThat(waiting.replicas()).isEqualTo(2);
        assertThat(waiting.lastBusy()).isEqualTo(T0);
        ScaleDecision down = ScaleDecision.decide(spec, 2, ExpertDemand.NONE, T0, T0.plus(Duration.ofMinutes(5)));
        assertThat(down.replicas()).isZero();
        assertThat(ScaleDecision.decide(spec, 2, ExpertDemand.NONE, null, T0).replicas()).isEqualTo(2);
        assertThat(ScaleDecision.decide(spec(1, 4, 8, "1m"), 3, ExpertDemand.NONE, T0, T0.plusSeconds(61))
                .replicas()).isEqualTo(1);
    }

    @Test
    void demandIsSummedOverFreshRouterReportsOfTheExpertAndItsAdapters() {
        RoutingPolicy policy = new RoutingPolicy();
        policy.setStatus(new RoutingPolicyStatus());
        policy.getStatus().demand = Map.of(
                "router-a", report(T0, Map.of("llama", new DemandStatus.ExpertDemand(2, 10, 1, 0),
                        "sql", new DemandStatus.ExpertDemand(3, 5, 0, 2), "math", new DemandStatus.ExpertDemand(9, 9, 9, 9))),
                "router-b", report(T0.minusSeconds(14), Map.of("llama", new DemandStatus.ExpertDemand(1, 1, 0, 0))),
                "router-gone", report(T0.minusSeconds(60), Map.of("llama", new DemandStatus.ExpertDemand(50, 50, 0, 0))));
        assertThat(ExpertDemand.of(Set.of("llama", "sql"), List.of(policy), T0))
                .isEqualTo(new ExpertDemand(6, 16, 1, 2));
    }

    static DemandStatus report(Instant at, Map<String, DemandStatus.ExpertDemand> experts) {
        DemandStatus d = new DemandStatus();
        d.observedAt = at.toString();
        d.windowSeconds = 5;
        d.experts = experts;
        return d;
    }
}
