package dev.switchboard.operator.router;

import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.rules.PolicyRules;
import dev.switchboard.api.rules.PolicyShadow;
import dev.switchboard.api.rules.Problem;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ResolvedExpert;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Failure;
import dev.switchboard.operator.status.Reasons;
import dev.switchboard.operator.trust.Violation;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Status of a routing policy from the shared policy rules, the router's verdict (status.routingTable, written by
 * the router), the router Deployment and the ExpertModels of its namespace. Pure.
 *
 * <p>Ready=True needs all of: no problem found by {@link PolicyRules}, a router replica available, and the router
 * having reported that it serves the policy's current generation. A policy the router cannot serve is never Ready.
 */
public final class PolicyStatusCalculator {
    public static final String EXPERTS_READY = "ExpertsReady";

    public record Result(RoutingPolicyStatus status, List<ConditionSet.Transition> transitions) {
    }

    private PolicyStatusCalculator() {
    }

    public static Result compute(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 Instant now) {
        return compute(policy, router, experts, List.of(policy), now);
    }

    /**
     * @param policies the RoutingPolicies of the namespace, where spec.shadow is looked up: a shadow that is
     *                 missing or cannot decide never affects Ready; the Shadow condition says why it is skipped
     */
    public static Result compute(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 Collection<RoutingPolicy> policies, Instant now) {
        return status(policy, router, experts, now, Optional.empty(), policies);
    }

    /**
     * As {@link #compute(RoutingPolicy, Optional, Collection, Instant)}, for a policy the operator could not realise
     * ({@code failure}): {@code Ready=False} and {@code Degraded=True} with the failure's reason and message;
     * {@code Progressing} says whether the operator tries again by itself.
     */
    public static Result compute(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 Instant now, Optional<Failure> failure) {
        return status(policy, router, experts, now, failure.map(f -> new Blocked(f.reason(), f.message(),
                f.retrying(), f.retrying() ? "retrying: " + f.message() : "waiting for the spec to be fixed")), null);
    }

    /**
     * With {@code refused} not empty (fields the admin does not allow the policy's author, Secrets not granted to
     * Switchboard) the policy is not realised: Ready=False, Progressing=False and Degraded=True with the first
     * violation's rule as reason and every violation in the message.
     */
    public static Result compute(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 List<Violation> refused, Instant now) {
        if (refused.isEmpty()) {
            return status(policy, router, experts, now, Optional.empty(), null);
        }
        String refusal = refused.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return status(policy, router, experts, now, Optional.of(new Blocked(refused.get(0).reason(), refusal,
                false, "no router runs: " + refusal)), null);
    }

    /** Why a policy is not realised, as its conditions say it; {@code retrying}: the operator tries again. */
    private record Blocked(String reason, String message, boolean retrying, String progressing) {
    }

    /** @param policies where spec.shadow is looked up; null: no Shadow condition (the policy is not realised) */
    private static Result status(RoutingPolicy policy, Optional<Deployment> router, Collection<ExpertModel> experts,
                                 Instant now, Optional<Blocked> blocked, Collection<RoutingPolicy> policies) {
        RoutingPolicyStatus previous = policy.getStatus();
        long generation = policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
        ConditionSet conditions = new ConditionSet(previous == null ? null : previous.conditions, generation, now);
        PolicyExperts resolved = PolicyExperts.resolve(policy, experts);

        List<ResolvedExpert> listed = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        int ready = 0;
        for (String name : resolved.names()) {
            ExpertModel expert = resolved.found().get(name);
            if (expert == null) {
                listed.add(new ResolvedExpert(name, false, false, null));
                continue;
            }
            boolean isReady = expert.getStatus() != null && expert.getStatus().isTrue(ConditionSet.READY);
            if (isReady) {
                ready++;
            } else {
                notReady.add(name);
            }
            listed.add(new ResolvedExpert(name, true, isReady, expert.servedModelName()));
        }

        RoutingPolicyStatus status = new RoutingPolicyStatus();
        status.observedGeneration = generation;
        status.endpoint = RouterRenderer.endpoint(policy);
        status.modelName = policy.modelName();
        status.experts = listed;
        status.readyExperts = ready + "/" + resolved.names().size();

        int desiredRouters = RouterRenderer.replicas(policy);
        var ds = router.map(Deployment::getStatus);
        int available = ds.map(s -> s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas()).orElse(0);
        int updated = ds.map(s -> s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas()).orElse(0);
        boolean routerAvailable = available > 0;
        Optional<String> invalid = invalid(PolicyRules.check(resolved), previous, generation);
        Optional<RoutingTableStatus> verdict = verdict(previous, generation);
        boolean policyReady = blocked.isEmpty() && invalid.isEmpty() && desiredRouters > 0 && routerAvailable
                && verdict.isPresent();
        if (blocked.isPresent()) {
            conditions.set(ConditionSet.READY, false, blocked.get().reason(), blocked.get().message());
        } else if (invalid.isPresent()) {
            conditions.set(ConditionSet.READY, false, Reasons.INVALID_POLICY, invalid.get());
        } else if (desiredRouters == 0) {
            conditions.set(ConditionSet.READY, false, Reasons.SCALED_TO_ZERO, "spec.router.replicas is 0");
        } else if (!routerAvailable) {
            conditions.set(ConditionSet.READY, false, router.isEmpty() ? Reasons.ROUTER_STARTING
                    : Reasons.ROUTER_UNAVAILABLE, "no router replica is available yet");
        } else if (verdict.isEmpty()) {
            conditions.set(ConditionSet.READY, false, Reasons.AWAITING_ROUTER, "the router has not yet reported "
                    + "whether it serves generation " + generation + " of the policy (status.routingTable)");
        } else {
            conditions.set(ConditionSet.READY, true, Reasons.ROUTER_AVAILABLE,
                    available + "/" + desiredRouters + " router replicas available at " + status.endpoint);
        }
        boolean rolledOut = router.isPresent() && updated >= desiredRouters && available >= desiredRouters;
        if (blocked.isPresent()) {
            conditions.set(ConditionSet.PROGRESSING, blocked.get().retrying(), blocked.get().reason(),
                    blocked.get().progressing());
        } else {
            conditions.set(ConditionSet.PROGRESSING, !rolledOut, rolledOut ? Reasons.ROLLOUT_COMPLETE
                    : Reasons.ROLLING_OUT, available + "/" + desiredRouters + " router replicas available");
        }

        String expertsReason;
        String expertsMessage;
        List<String> missing = List.copyOf(resolved.missing());
        if (!missing.isEmpty()) {
            expertsReason = Reasons.EXPERT_NOT_FOUND;
            expertsMessage = "ExpertModel" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " referenced by the policy " + (missing.size() > 1 ? "do" : "does") + " not exist in namespace "
                    + policy.getMetadata().getNamespace();
        } else if (resolved.names().isEmpty()) {
            expertsReason = Reasons.NO_EXPERT_SELECTED;
            expertsMessage = "spec.experts selects no ExpertModel";
        } else if (ready == 0) {
            expertsReason = Reasons.NO_READY_EXPERT;
            expertsMessage = "none of the selected experts is ready: " + String.join(", ", notReady);
        } else if (!notReady.isEmpty()) {
            expertsReason = Reasons.SOME_EXPERTS_NOT_READY;
            expertsMessage = ready + "/" + resolved.names().size() + " experts ready; not ready: "
                    + String.join(", ", notReady);
        } else {
            expertsReason = Reasons.EXPERTS_READY;
            expertsMessage = "all " + resolved.names().size() + " experts ready";
        }
        boolean expertsOk = Reasons.EXPERTS_READY.equals(expertsReason)
                || Reasons.SOME_EXPERTS_NOT_READY.equals(expertsReason);
        conditions.set(EXPERTS_READY, Reasons.EXPERTS_READY.equals(expertsReason), expertsReason, expertsMessage);
        if (blocked.isPresent()) {
            conditions.set(ConditionSet.DEGRADED, true, blocked.get().reason(), blocked.get().message());
        } else if (invalid.isPresent()) {
            conditions.set(ConditionSet.DEGRADED, true, Reasons.INVALID_POLICY, invalid.get());
        } else {
            conditions.set(ConditionSet.DEGRADED, !expertsOk, expertsOk ? Reasons.AS_EXPECTED : expertsReason,
                    expertsOk ? "" : expertsMessage);
        }

        if (policies != null) {
            PolicyShadow.of(policy, policies, experts).ifPresent(shadow ->
                    conditions.set(ConditionSet.SHADOW, shadow.usable(), shadow.reason(), shadow.message()));
        }

        if (blocked.isPresent() || invalid.isPresent() || !expertsOk) {
            status.phase = "Degraded";
        } else if (policyReady) {
            status.phase = "Ready";
        } else {
            status.phase = "Pending";
        }
        status.conditions = conditions.conditions();
        return new Result(status, conditions.transitions());
    }

    /** Why the policy cannot be served: the shared rules' problems, else the router's refusal of this generation. */
    private static Optional<String> invalid(List<Problem> problems, RoutingPolicyStatus previous, long generation) {
        if (!problems.isEmpty()) {
            return Optional.of(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        return verdict(previous, generation).filter(v -> !Boolean.TRUE.equals(v.accepted))
                .map(v -> "the router refuses the policy: " + (v.message == null ? "no reason given" : v.message));
    }

    /** The router's verdict on {@code generation}, if it has reported one (older generations do not count). */
    private static Optional<RoutingTableStatus> verdict(RoutingPolicyStatus previous, long generation) {
        RoutingTableStatus table = previous == null ? null : previous.routingTable;
        return table != null && table.observedGeneration != null && table.observedGeneration == generation
                && table.accepted != null ? Optional.of(table) : Optional.empty();
    }
}
