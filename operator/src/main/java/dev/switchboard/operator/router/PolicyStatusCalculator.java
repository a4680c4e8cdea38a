package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ResolvedExpert;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Status of a routing policy from the router Deployment and the ExpertModels of its namespace. Pure. */
public final class PolicyStatusCalculator {
    public static final String EXPERTS_READY = "ExpertsReady";

    public record Result(RoutingPolicyStatus status, List<ConditionSet.Transition> transitions) {
    }

    private PolicyStatusCalculator() {
    }

    public static Result compute(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 Instant now) {
        RoutingPolicyStatus previous = policy.getStatus();
        ConditionSet conditions = new ConditionSet(previous == null ? null : previous.conditions,
                policy.getMetadata().getGeneration(), now);
        Map<String, ExpertModel> byName = experts.stream()
                .collect(Collectors.toMap(e -> e.getMetadata().getName(), Function.identity(), (a, b) -> a));

        Set<String> wanted = new TreeSet<>(PolicyReferences.namedExperts(policy));
        wanted.addAll(PolicyReferences.selectedExperts(policy, experts));
        List<ResolvedExpert> resolved = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        int ready = 0;
        for (String name : wanted) {
            ExpertModel expert = byName.get(name);
            if (expert == null) {
                missing.add(name);
                resolved.add(new ResolvedExpert(name, false, false, null));
                continue;
            }
            boolean isReady = expert.getStatus() != null && expert.getStatus().isTrue(ConditionSet.READY);
            if (isReady) {
                ready++;
            } else {
                notReady.add(name);
            }
            resolved.add(new ResolvedExpert(name, true, isReady, expert.servedModelName()));
        }

        RoutingPolicyStatus status = new RoutingPolicyStatus();
        status.observedGeneration = policy.getMetadata().getGeneration();
        status.endpoint = RouterRenderer.endpoint(policy);
        status.modelName = policy.modelName();
        status.experts = resolved;
        status.readyExperts = ready + "/" + wanted.size();

        int desiredRouters = RouterRenderer.replicas(policy);
        var ds = router.map(Deployment::getStatus);
        int available = ds.map(s -> s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas()).orElse(0);
        int updated = ds.map(s -> s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas()).orElse(0);
        boolean routerAvailable = available > 0;
        if (routerAvailable) {
            conditions.set(ConditionSet.READY, true, Reasons.ROUTER_AVAILABLE,
                    available + "/" + desiredRouters + " router replicas available at " + status.endpoint);
        } else if (desiredRouters == 0) {
            conditions.set(ConditionSet.READY, false, Reasons.SCALED_TO_ZERO, "spec.router.replicas is 0");
        } else {
            conditions.set(ConditionSet.READY, false, router.isEmpty() ? Reasons.ROUTER_STARTING
                    : Reasons.ROUTER_UNAVAILABLE, "no router replica is available yet");
        }
        boolean rolledOut = router.isPresent() && updated >= desiredRouters && available >= desiredRouters;
        conditions.set(ConditionSet.PROGRESSING, !rolledOut, rolledOut ? Reasons.ROLLOUT_COMPLETE
                : Reasons.ROLLING_OUT, available + "/" + desiredRouters + " router replicas available");

        String expertsReason;
        String expertsMessage;
        if (!missing.isEmpty()) {
            expertsReason = Reasons.EXPERT_NOT_FOUND;
            expertsMessage = "ExpertModel" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " referenced by the policy " + (missing.size() > 1 ? "do" : "does") + " not exist in namespace "
                    + policy.getMetadata().getNamespace();
        } else if (wanted.isEmpty()) {
            expertsReason = Reasons.NO_EXPERT_SELECTED;
            expertsMessage = "spec.experts selects no ExpertModel";
        } else if (ready == 0) {
            expertsReason = Reasons.NO_READY_EXPERT;
            expertsMessage = "none of the selected experts is ready: " + String.join(", ", notReady);
        } else if (!notReady.isEmpty()) {
            expertsReason = Reasons.SOME_EXPERTS_NOT_READY;
            expertsMessage = ready + "/" + wanted.size() + " experts ready; not ready: " + String.join(", ", notReady);
        } else {
            expertsReason = Reasons.EXPERTS_READY;
            expertsMessage = "all " + wanted.size() + " experts ready";
        }
        boolean expertsOk = Reasons.EXPERTS_READY.equals(expertsReason)
                || Reasons.SOME_EXPERTS_NOT_READY.equals(expertsReason);
        conditions.set(EXPERTS_READY, Reasons.EXPERTS_READY.equals(expertsReason), expertsReason, expertsMessage);
        conditions.set(ConditionSet.DEGRADED, !expertsOk, expertsOk ? Reasons.AS_EXPECTED : expertsReason,
                expertsOk ? "" : expertsMessage);

        if (!expertsOk) {
            status.phase = "Degraded";
        } else if (routerAvailable) {
            status.phase = "Ready";
        } else {
            status.phase = "Pending";
        }
        status.conditions = conditions.conditions();
        return new Result(status, conditions.transitions());
    }
}
