package dev.switchboard.operator.autoscale;

import dev.switchboard.api.rules.GoDurations;
import dev.switchboard.api.v1alpha1.AutoscalingSpec;

import java.time.Duration;
import java.time.Instant;

/**
 * The built-in autoscaler's rule, a pure function so the operator, its tests and the economics simulation run the
 * same code:
 * <ul>
 *   <li>wanted = ceil(inFlight / targetInFlightPerReplica), at least 1 while any request was held, diverted or
 *       seen in the window (an expert at zero that is asked for starts at once), within min..max;</li>
 *   <li>up at once to wanted; down only after demand stayed below the current replicas for scaleDownDelay
 *       (then straight to wanted, zero included).</li>
 * </ul>
 *
 * @param replicas     the replicas to set
 * @param lastBusy     the last time demand needed the current replicas (kept in status, so it survives restarts)
 * @param message      why, in one sentence
 */
public record ScaleDecision(int replicas, Instant lastBusy, String message) {

    public static ScaleDecision decide(AutoscalingSpec spec, int current, ExpertDemand demand, Instant lastBusy,
                                       Instant now) {
        int min = spec.minOrDefault();
        int max = spec.maxReplicas == null ? Math.max(1, current) : spec.maxReplicas;
        int target = spec.targetOrDefault();
        int wanted = (demand.inFlight() + target - 1) / target;
        if (wanted == 0 && demand.any()) {
            wanted = 1;
        }
        wanted = Math.max(min, Math.min(max, wanted));
        String seen = "demand " + demand.inFlight() + " in flight (" + demand.held() + " held, " + demand.diverted()
                + " diverted, " + demand.requests() + " requests), target " + target + " per replica";
        if (wanted >= current) {
            return new ScaleDecision(wanted, now, (wanted > current ? "scaling up to " + wanted : "keeping " + current)
                    + ": " + seen);
        }
        if (lastBusy == null) { // no record yet (a new expert, a status wiped): wait a full delay before going down
            return new ScaleDecision(current, now, "keeping " + current + " for scaleDownDelay "
                    + spec.scaleDownDelayOrDefault() + ": " + seen);
        }
        Duration delay = GoDurations.parse("spec.autoscaling.scaleDownDelay", spec.scaleDownDelayOrDefault());
        Instant due = lastBusy.plus(delay);
        if (now.isBefore(due)) {
            return new ScaleDecision(current, lastBusy, "keeping " + current + " until " + due + " (scaleDownDelay "
                    + spec.scaleDownDelayOrDefault() + "): " + seen);
        }
        return new ScaleDecision(wanted, now, "scaling down to " + wanted + " after " + spec.scaleDownDelayOrDefault()
                + " below " + current + ": " + seen);
    }
}
