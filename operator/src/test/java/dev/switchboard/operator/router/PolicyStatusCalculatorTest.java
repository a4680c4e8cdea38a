package dev.switchboard.operator.router;

import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import dev.switchboard.api.v1alpha1.RoutingTableStatus;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyStatusCalculatorTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final RoutingPolicy coe = accepted(TestResources.policyExample("category-policy"));
    private final Deployment available = new DeploymentBuilder().withNewStatus().withReplicas(2)
            .withAvailableReplicas(2).withUpdatedReplicas(2).endStatus().build();

    static ExpertModel ready(ExpertModel e, boolean ready) {
        ExpertModelStatus s = new ExpertModelStatus();
        s.conditions = new ConditionSet(null, 1L, NOW).set("Ready", ready, "X", "").conditions();
        e.setStatus(s);
        return e;
    }

    /** The policy as the router left it after accepting its current generation. */
    static RoutingPolicy accepted(RoutingPolicy policy) {
        return withVerdict(policy, policy.getMetadata().getGeneration(), true, null);
    }

    static RoutingPolicy withVerdict(RoutingPolicy policy, long generation, boolean accepted, String message) {
        RoutingPolicyStatus status = policy.getStatus() == null ? new RoutingPolicyStatus() : policy.getStatus();
        status.routingTable = new RoutingTableStatus();
        status.routingTable.version = 3L;
        status.routingTable.observedGeneration = generation;
        status.routingTable.accepted = accepted;
        status.routingTable.message = message;
        policy.setStatus(status);
        return policy;
    }

    private List<ExpertModel> allExperts(boolean ready) {
        return List.of(ready(TestResources.example("math"), ready), ready(TestResources.example("code"), ready),
                ready(TestResources.example("medical"), ready), ready(TestResources.example("legal"), ready),
                ready(TestResources.example("generalist"), ready), ready(TestResources.example("external"), ready));
    }

    @Test
    void allExpertsReadyAndRouterAvailable() {
        var s = PolicyStatusCalculator.compute(coe, Optional.of(available), allExperts(true), NOW).status();
        assertThat(s.phase).isEqualTo("Ready");
        assertThat(s.isTrue("Ready")).isTrue();
        assertThat(s.isTrue("ExpertsReady")).isTrue();
        assertThat(s.isTrue("Degraded")).isFalse();
        assertThat(s.readyExperts).isEqualTo("6/6");
        assertThat(s.modelName).isEqualTo("switchboard-coe");
        assertThat(s.endpoint).isEqualTo("http://coe-router.llm.svc:8080/v1");
        assertThat(s.experts).extracting(e -> e.name).contains("math", "frontier", "legal");
        assertThat(s.routingTable).as("the router's part of the status is not the operator's to write").isNull();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("RouterAvailable");
    }

    @Test
    void missingExpertIsNamed() {
        // a listed expert that does not exist is not routable, but the router serves the policy without it
        RoutingPolicy listsLegal = accepted(TestResources.policyExample("semantic-policy"));
        var experts = allExperts(true).stream().filter(e -> !e.getMetadata().getName().equals("legal")).toList();
        var s = PolicyStatusCalculator.compute(listsLegal, Optional.of(available), experts, NOW).status();
        assertThat(s.isTrue("Degraded")).isTrue();
        assertThat(s.condition("Degraded").orElseThrow().getReason()).isEqualTo("ExpertNotFound");
        assertThat(s.condition("Degraded").orElseThrow().getMessage()).contains("legal");
        assertThat(s.experts).filteredOn(e -> e.name.equals("legal")).singleElement()
                .satisfies(e -> assertThat(e.found).isFalse());
        assertThat(s.isTrue("Ready")).isTrue(); // the router serves it
        assertThat(s.phase).isEqualTo("Degraded");
    }

    @Test
    void aRouteToAnExpertThatIsNeitherSelectedNorListedMakesThePolicyInvalid() {
        // coe selects its experts by label and routes law to legal: without ExpertModel legal, the route points
        // nowhere the router knows, and the router refuses the whole policy
        var experts = allExperts(true).stream().filter(e -> !e.getMetadata().getName().equals("legal")).toList();
        var s = PolicyStatusCalculator.compute(coe, Optional.of(available), experts, NOW).status();
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
        assertThat(s.condition("Ready").orElseThrow().getMessage()).isEqualTo("spec.strategy.category.routes[3]"
                + ".experts[0].name: expert 'legal' is not among the policy's experts (no ExpertModel of that name "
                + "exists in namespace llm); list it in spec.experts.names");
    }

    @Test
    void noReadyExpert() {
        var s = PolicyStatusCalculator.compute(coe, Optional.of(available), allExperts(false), NOW).status();
        assertThat(s.condition("Degraded").orElseThrow().getReason()).isEqualTo("NoReadyExpert");
        assertThat(s.readyExperts).isEqualTo("0/6");
    }

    @Test
    void routerNotYetAvailable() {
        var s = PolicyStatusCalculator.compute(coe, Optional.empty(), allExperts(true), NOW).status();
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("RouterStarting");
        assertThat(s.phase).isEqualTo("Pending");
    }

    @Test
    void aPolicyTheSharedRulesRefuseIsNeverReadyAndNamesTheField() {
        // a route for a category no classifier can predict: every query for it would be lost
        RoutingPolicy p = accepted(TestResources.policyYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: lost}
                spec:
                  experts: {names: [math, code]}
                  strategy:
                    type: category
                    category: {routes: [{category: maths, experts: [{name: math}]}]}
                """));
        var s = PolicyStatusCalculator.compute(p, Optional.of(available), allExperts(true), NOW).status();
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
        assertThat(s.condition("Ready").orElseThrow().getMessage()).isEqualTo(
                "spec.strategy.category.routes[0].category: unknown category 'maths' (known: code, math)");
        assertThat(s.isTrue("Degraded")).isTrue();
        assertThat(s.condition("Degraded").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
        assertThat(s.phase).isEqualTo("Degraded");
        // the experts are still reported
        assertThat(s.isTrue("ExpertsReady")).isTrue();
    }

    @Test
    void aPolicyTheRouterRefusesIsNeverReady() {
        RoutingPolicy p = withVerdict(TestResources.policyExample("category-policy"), 1, false,
                "spec.strategy.learned: artifact coe-classifier/router.json not found (ConfigMap or key missing)");
        var s = PolicyStatusCalculator.compute(p, Optional.of(available), allExperts(true), NOW).status();
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
        assertThat(s.condition("Ready").orElseThrow().getMessage()).isEqualTo("the router refuses the policy: "
                + "spec.strategy.learned: artifact coe-classifier/router.json not found (ConfigMap or key missing)");
        assertThat(s.condition("Degraded").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
        assertThat(s.phase).isEqualTo("Degraded");
    }

    @Test
    void aVerdictOnAnOlderGenerationDoesNotCount() {
        RoutingPolicy p = TestResources.policyExample("category-policy");
        p.getMetadata().setGeneration(2L);
        // accepted generation 1: generation 2 may not be servable, so it is not Ready yet
        var s = PolicyStatusCalculator.compute(withVerdict(p, 1, true, null), Optional.of(available),
                allExperts(true), NOW).status();
        assertThat(s.isTrue("Ready")).isFalse();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("AwaitingRouter");
        assertThat(s.condition("Ready").orElseThrow().getMessage()).contains("generation 2");
        assertThat(s.observedGeneration).isEqualTo(2L);
        assertThat(s.isTrue("Degraded")).isFalse();
        assertThat(s.phase).isEqualTo("Pending");
        // refused generation 1: not held against generation 2 either
        s = PolicyStatusCalculator.compute(withVerdict(p, 1, false, "spec.x: bad"), Optional.of(available),
                allExperts(true), NOW).status();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("AwaitingRouter");
        assertThat(s.isTrue("Degraded")).isFalse();
        // the router reports on generation 2
        s = PolicyStatusCalculator.compute(withVerdict(p, 2, true, null), Optional.of(available), allExperts(true),
                NOW).status();
        assertThat(s.isTrue("Ready")).isTrue();
    }

    @Test
    void aPolicyWithoutAnyVerdictWaitsForTheRouter() {
        RoutingPolicy p = TestResources.policyExample("category-policy");
        var s = PolicyStatusCalculator.compute(p, Optional.of(available), allExperts(true), NOW).status();
        assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("AwaitingRouter");
    }

    @Test
    void selectorMatchExpressions() {
        RoutingPolicy p = TestResources.policyYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: sel}
                spec:
                  experts:
                    selector:
                      matchExpressions: [{key: switchboard.dev/tier, operator: In, values: [specialist]}]
                  strategy: {type: semantic}
                """);
        assertThat(PolicyExperts.resolve(p, allExperts(true)).names())
                .containsExactly("code", "legal", "math", "medical");
    }

    @Test
    void aMissingShadowLeavesThePolicyReadyAndSaysSoInTheShadowCondition() {
        RoutingPolicy live = accepted(TestResources.policyExample("category-policy"));
        live.getSpec().shadow = new dev.switchboard.api.v1alpha1.ShadowSpec();
        live.getSpec().shadow.policy = "coe-candidate";

        var s = PolicyStatusCalculator.compute(live, Optional.of(available), allExperts(true), List.of(live), NOW)
                .status();
        assertThat(s.isTrue("Ready")).isTrue();
        assertThat(s.phase).isEqualTo("Ready");
        assertThat(s.condition("Degraded").orElseThrow().getStatus()).isEqualTo("False");
        var shadow = s.condition(ConditionSet.SHADOW).orElseThrow();
        assertThat(shadow.getStatus()).isEqualTo("False");
        assertThat(shadow.getReason()).isEqualTo("ShadowNotFound");
        assertThat(shadow.getMessage()).isEqualTo("spec.shadow.policy: no RoutingPolicy 'coe-candidate' in namespace "
                + live.getMetadata().getNamespace() + "; no shadow decisions are made until it exists");

        RoutingPolicy candidate = TestResources.policyExample("category-policy");
        candidate.getMetadata().setName("coe-candidate");
        var withShadow = PolicyStatusCalculator.compute(live, Optional.of(available), allExperts(true),
                List.of(live, candidate), NOW).status();
        var shadowing = withShadow.condition(ConditionSet.SHADOW).orElseThrow();
        assertThat(shadowing.getStatus()).isEqualTo("True");
        assertThat(shadowing.getReason()).isEqualTo("Shadowing");

        // without spec.shadow there is no Shadow condition
        assertThat(PolicyStatusCalculator.compute(coe, Optional.of(available), allExperts(true), NOW).status()
                .condition(ConditionSet.SHADOW)).isEmpty();
    }
}
