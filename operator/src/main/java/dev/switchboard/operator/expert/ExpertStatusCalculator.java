package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Failure;
import dev.switchboard.operator.status.Reasons;
import dev.switchboard.operator.trust.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Status of a deployed expert from observed facts: its Deployment and its pods. Pure; no API calls. */
public final class ExpertStatusCalculator {

    /** The new status and the condition changes worth an Event. */
    public record Result(ExpertModelStatus status, List<ConditionSet.Transition> transitions) {
    }

    private ExpertStatusCalculator() {
    }

    public static Result compute(ExpertModel expert, Optional<Deployment> deployment, List<Pod> pods,
                                 Duration startupBudget, Instant now) {
        String name = expert.getMetadata().getName();
        ExpertModelStatus previous = expert.getStatus();
        ConditionSet conditions = new ConditionSet(previous == null ? null : previous.conditions,
                expert.getMetadata().getGeneration(), now);
        int desired = expert.getSpec() == null || expert.getSpec().replicas == null ? 1 : expert.getSpec().replicas;

        ExpertModelStatus status = new ExpertModelStatus();
        status.observedGeneration = expert.getMetadata().getGeneration();
        status.selector = ExpertLabels.selectorString(name);
        status.endpoint = ExpertServiceRenderer.endpoint(expert);
        status.servedModelName = expert.servedModelName();

        if (deployment.isEmpty()) {
            status.replicas = 0;
            status.readyReplicas = 0;
            conditions.set(ConditionSet.READY, false, Reasons.DEPLOYMENT_CREATING, "creating the vLLM Deployment");
            conditions.set(ConditionSet.PROGRESSING, true, Reasons.DEPLOYMENT_CREATING, "creating the vLLM Deployment");
            conditions.set(ConditionSet.DEGRADED, false, Reasons.AS_EXPECTED, "");
            status.phase = "Pending";
            status.conditions = conditions.conditions();
            return new Result(status, conditions.transitions());
        }

        List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        var ds = deployment.get().getStatus();
        // Pods are the fresher fact: the Deployment's readyReplicas lags pod events.
        int ready = (int) live.stream().filter(PodFacts::isReady).count();
        List<PodFacts> facts = live.stream().map(p -> PodFacts.of(p, startupBudget, now))
                .flatMap(Optional::stream).toList();
        status.replicas = live.size();
        status.readyReplicas = ready;

        Optional<PodFacts> worst = facts.stream().max(Comparator.comparingInt(PodFacts::severity).thenComparing(PodFacts::failing));
        Optional<PodFacts> failure = facts.stream().filter(PodFacts::failing)
                .max(Comparator.comparingInt(PodFacts::severity));
        Optional<DeploymentCondition> deadline = ds == null || ds.getConditions() == null ? Optional.empty()
                : ds.getConditions().stream().filter(c -> "Progressing".equals(c.getType())
                        && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                .findFirst();

        String readyMessage = ready + "/" + desired + " replicas ready";
        if (desired == 0) {
            conditions.set(ConditionSet.READY, false, Reasons.SCALED_TO_ZERO, "spec.replicas is 0");
        } else if (ready > 0) {
            conditions.set(ConditionSet.READY, true, Reasons.REPLICAS_READY, readyMessage);
        } else {
            conditions.set(ConditionSet.READY, false, worst.map(PodFacts::reason).orElse(Reasons.NO_REPLICA_READY),
                    worst.map(PodFacts::message).orElse(readyMessage));
        }

        boolean settled = ready >= desired && live.size() == desired && deadline.isEmpty()
                && (ds == null || ds.getUpdatedReplicas() == null || ds.getUpdatedReplicas() >= desired
                || desired == 0);
        Optional<PodFacts> progressing = facts.stream().filter(f -> !f.failing())
                .max(Comparator.comparingInt(PodFacts::severity));
        if (settled) {
            conditions.set(ConditionSet.PROGRESSING, false, Reasons.ROLLOUT_COMPLETE, readyMessage);
        } else if (progressing.isPresent()) {
            conditions.set(ConditionSet.PROGRESSING, true, progressing.get().reason(), progressing.get().message());
        } else if (failure.isPresent()) {
            conditions.set(ConditionSet.PROGRESSING, false, failure.get().reason(), failure.get().message());
        } else {
            conditions.set(ConditionSet.PROGRESSING, true, Reasons.ROLLING_OUT,
                    readyMessage + "; waiting for the Deployment to create pods");
        }

        if (failure.isPresent()) {
            conditions.set(ConditionSet.DEGRADED, true, failure.get().reason(), failure.get().message());
        } else if (deadline.isPresent()) {
            conditions.set(ConditionSet.DEGRADED, true, Reasons.PROGRESS_DEADLINE_EXCEEDED,
                    deadline.get().getMessage());
        } else {
            conditions.set(ConditionSet.DEGRADED, false, Reasons.AS_EXPECTED, "");
        }

        if (conditions.isTrue(ConditionSet.READY)) {
            status.phase = "Ready";
        } else if (conditions.isTrue(ConditionSet.DEGRADED)) {
            status.phase = "Degraded";
        } else if (conditions.isTrue(ConditionSet.PROGRESSING)) {
            status.phase = "Progressing";
        } else {
            status.phase = "Pending";
        }
        status.conditions = conditions.conditions();
        return new Result(status, conditions.transitions());
    }

    /**
     * Status of an expert the operator could not realise: {@code Ready=False} and {@code Degraded=True} with the
     * failure's reason and message; {@code Progressing} says whether the operator tries again by itself. The counts
     * and the endpoint are the last ones observed (objects of an earlier spec keep running).
     */
    public static Result notRealised(ExpertModel expert, Failure failure, Instant now) {
        return notRealised(expert, failure.reason(), failure.message(), failure.retrying(), failure.retrying()
                ? "retrying: " + failure.message() : "waiting for the spec to be fixed", now);
    }

    /**
     * Status of an expert the operator refuses to realise: fields its author may not set, or Secrets not granted
     * to Switchboard. Ready=False and Degraded=True with the first violation's rule as reason and every violation,
     * naming its field, in the message. As for {@link #notRealised(ExpertModel, Failure, Instant)}, what an earlier
     * allowed spec left running is still described (counts, endpoint, the API key its vLLM requires).
     */
    public static Result refused(ExpertModel expert, List<Violation> violations, Instant now) {
        String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return notRealised(expert, violations.get(0).reason(), message, false, "not realised: " + message, now);
    }

    private static Result notRealised(ExpertModel expert, String reason, String message, boolean retrying,
                                      String progressing, Instant now) {
        ExpertModelStatus previous = expert.getStatus();
        ConditionSet conditions = new ConditionSet(previous == null ? null : previous.conditions,
                expert.getMetadata().getGeneration(), now);
        ExpertModelStatus status = new ExpertModelStatus();
        status.observedGeneration = expert.getMetadata().getGeneration();
        status.servedModelName = expert.servedModelName();
        if (previous != null) {
            status.replicas = previous.replicas;
            status.readyReplicas = previous.readyReplicas;
            status.endpoint = previous.endpoint;
            status.selector = previous.selector;
            status.apiKeySecretRef = previous.apiKeySecretRef;
        }
        conditions.set(ConditionSet.READY, false, reason, message);
        conditions.set(ConditionSet.PROGRESSING, retrying, reason, progressing);
        conditions.set(ConditionSet.DEGRADED, true, reason, message);
        status.phase = "Degraded";
        status.conditions = conditions.conditions();
        return new Result(status, conditions.transitions());
    }

    /** Status of an external expert after probing its endpoint. */
    public static Result external(ExpertModel expert, ExternalProbe.Outcome outcome, Instant now) {
        ExpertModelStatus previous = expert.getStatus();
        ConditionSet conditions = new ConditionSet(previous == null ? null : previous.conditions,
                expert.getMetadata().getGeneration(), now);
        ExpertModelStatus status = new ExpertModelStatus();
        status.observedGeneration = expert.getMetadata().getGeneration();
        status.endpoint = expert.getSpec().external.url;
        status.servedModelName = expert.servedModelName();
        conditions.set(ConditionSet.READY, outcome.reachable(), outcome.reason(), outcome.message());
        conditions.set(ConditionSet.PROGRESSING, false, Reasons.EXTERNAL, "external endpoint: nothing to deploy");
        conditions.set(ConditionSet.DEGRADED, !outcome.reachable(),
                outcome.reachable() ? Reasons.AS_EXPECTED : outcome.reason(),
                outcome.reachable() ? "" : outcome.message());
        status.phase = outcome.reachable() ? "Ready" : "Degraded";
        status.conditions = conditions.conditions();
        return new Result(status, conditions.transitions());
    }
}
