package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
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
    private final RoutingPolicy coe = TestResources.policyExample("category-policy");
    private final Deployment available = new DeploymentBuilder().withNewStatus().withReplicas(2)
            .withAvailableReplicas(2).withUpdatedReplicas(2).endStatus().build();

    static ExpertModel ready(ExpertModel e, boolean ready) {
        ExpertModelStatus s = new ExpertModelStatus();
        s.conditions = new ConditionSet(null, 1L, NOW).set("Ready", ready, "X", "").conditions();
        e.setStatus(s);
        return e;
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
        assertThat(s.routingTable).isNull();
    }

    @Test
    void missingExpertIsNamed() {
        var experts = allExperts(true).stream().filter(e -> !e.getMetadata().getName().equals("legal")).toList();
        var s = PolicyStatusCalculator.compute(coe, Optional.of(available), experts, NOW).status();
        assertThat(s.isTrue("Degraded")).isTrue();
        assertThat(s.condition("Degraded").orElseThrow().getReason()).isEqualTo("ExpertNotFound");
        assertThat(s.condition("Degraded").orElseThrow().getMessage()).contains("legal");
        assertThat(s.experts).filteredOn(e -> e.name.equals("legal")).singleElement()
                .satisfies(e -> assertThat(e.found).isFalse());
        assertThat(s.isTrue("Ready")).isTrue(); // the router itself runs
        assertThat(s.phase).isEqualTo("Degraded");
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
        assertThat(PolicyReferences.selectedExperts(p, allExperts(true)))
                .containsExactly("code", "legal", "math", "medical");
    }
}
