package dev.switchboard.operator.adapter;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Reasons;

import java.time.Instant;
import java.util.List;

/** Status of an adapter expert from what its base's pods report. Pure; no API calls. */
public final class AdapterStatusCalculator {
    /** The new status and the condition changes worth an Event. */
    public record Result(ExpertModelStatus status, List<ConditionSet.Transition> transitions) {
    }

    private AdapterStatusCalculator() {
    }

    /** Served on {@code outcome.loadedOn()}: Ready when on at least one pod. */
    public static Result loaded(ExpertModel adapter, ExpertModel base, AdapterSync.Outcome outcome, Instant now) {
        ConditionSet conditions = conditions(adapter, now);
        ExpertModelStatus status = base(adapter, base);
        String baseName = base.getMetadata().getName();
        int loaded = outcome.loadedOn().size();
        status.loadedOn = List.copyOf(outcome.loadedOn());
        status.readyReplicas = loaded;
        status.replicas = outcome.readyPods();
        String counts = "loaded on " + loaded + "/" + outcome.readyPods() + " ready pods of base " + baseName;
        String errors = String.join("; ", outcome.errors());
        if (outcome.readyPods() == 0) {
            String why = "base " + baseName + " has no ready replica" + (base.getStatus() == null
                    || base.getStatus().phase == null ? "" : " (phase " + base.getStatus().phase + ")")
                    + "; the adapter is loaded once one is ready";
            conditions.set(ConditionSet.READY, false, Reasons.BASE_NOT_READY, why);
            conditions.set(ConditionSet.PROGRESSING, true, Reasons.BASE_NOT_READY, why);
            conditions.set(ConditionSet.DEGRADED, false, Reasons.AS_EXPECTED, "");
        } else if (loaded == 0) {
            conditions.set(ConditionSet.READY, false, Reasons.ADAPTER_LOAD_FAILED, errors);
            conditions.set(ConditionSet.PROGRESSING, true, Reasons.ADAPTER_LOAD_FAILED, "retrying: " + errors);
            conditions.set(ConditionSet.DEGRADED, true, Reasons.ADAPTER_LOAD_FAILED, errors);
        } else {
            conditions.set(ConditionSet.READY, true, Reasons.ADAPTER_LOADED, counts);
            if (loaded < outcome.readyPods()) {
                conditions.set(ConditionSet.PROGRESSING, true, Reasons.LOADING_ADAPTER, counts);
            } else {
                conditions.set(ConditionSet.PROGRESSING, false, Reasons.ADAPTER_LOADED, counts);
            }
            conditions.set(ConditionSet.DEGRADED, !errors.isEmpty(), errors.isEmpty() ? Reasons.AS_EXPECTED
                    : Reasons.ADAPTER_LOAD_FAILED, errors);
        }
        return finish(status, conditions);
    }

    /**
     * Not served, for a reason only a change can fix (no base, a base that is not deployed, a refusal by the base's
     * limits): Ready=False, Degraded=True with the reason and a message naming the field.
     */
    public static Result notServed(ExpertModel adapter, ExpertModel baseOrNull, String reason, String message,
                                   Instant now) {
        ConditionSet conditions = conditions(adapter, now);
        ExpertModelStatus status = base(adapter, baseOrNull);
        status.loadedOn = List.of();
        status.readyReplicas = 0;
        status.replicas = 0;
        conditions.set(ConditionSet.READY, false, reason, message);
        conditions.set(ConditionSet.PROGRESSING, false, reason, "waiting for a change: " + message);
        conditions.set(ConditionSet.DEGRADED, true, reason, message);
        return finish(status, conditions);
    }

    private static ConditionSet conditions(ExpertModel adapter, Instant now) {
        ExpertModelStatus previous = adapter.getStatus();
        return new ConditionSet(previous == null ? null : previous.conditions, adapter.getMetadata().getGeneration(),
                now);
    }

    private static ExpertModelStatus base(ExpertModel adapter, ExpertModel base) {
        ExpertModelStatus status = new ExpertModelStatus();
        status.observedGeneration = adapter.getMetadata().getGeneration();
        status.servedModelName = adapter.servedModelName();
        if (base != null && base.getStatus() != null) {
            status.endpoint = base.getStatus().endpoint;
            // the base's vLLM requires its key for the adapter too; routers send it (ExpertApiKey)
            status.apiKeySecretRef = base.getStatus().apiKeySecretRef;
        }
        return status;
    }

    private static Result finish(ExpertModelStatus status, ConditionSet conditions) {
        status.conditions = conditions.conditions();
        status.phase = conditions.isTrue(ConditionSet.READY) ? "Ready"
                : conditions.isTrue(ConditionSet.DEGRADED) ? "Degraded"
                : conditions.isTrue(ConditionSet.PROGRESSING) ? "Progressing" : "Pending";
        return new Result(status, conditions.transitions());
    }
}
