package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.api.rules.PolicyRulesTest.EXPERTS;
import static dev.switchboard.api.rules.PolicyRulesTest.YAML;
import static org.assertj.core.api.Assertions.assertThat;

/** How the operator and the router read spec.shadow: the shadow policy, or why it is skipped. */
class PolicyShadowTest {
    static RoutingPolicy policy(String name, String namespace, String spec) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                %s""".formatted(name, namespace, spec.indent(2)), RoutingPolicy.class);
    }

    static final String STATIC = "experts: {names: [math, code]}\nstrategy: {type: static, static: {experts: [{name: math}]}}\n";
    static final RoutingPolicy LIVE = policy("live", "ai", STATIC + "shadow: {policy: candidate}\n");

    @Test
    void aPolicyWithoutShadowHasNone() {
        assertThat(PolicyShadow.of(policy("p", "ai", STATIC), List.of(), EXPERTS)).isEmpty();
    }

    @Test
    void aValidShadowOfTheSameNamespaceDecides() {
        RoutingPolicy candidate = policy("candidate", "ai", STATIC);
        PolicyShadow shadow = PolicyShadow.of(LIVE, List.of(LIVE, candidate), EXPERTS).orElseThrow();
        assertThat(shadow.usable()).isTrue();
        assertThat(shadow.shadow()).isSameAs(candidate);
        assertThat(shadow.reason()).isEqualTo(PolicyShadow.SHADOWING);
        assertThat(References.of(LIVE).at(References.SHADOW_POLICY)).get()
                .isEqualTo(new Reference(Reference.Kind.ROUTING_POLICY, "candidate", "spec.shadow.policy"));
    }

    @Test
    void aShadowOfTheSameNameInAnotherNamespaceIsNotFound() {
        PolicyShadow shadow = PolicyShadow.of(LIVE, List.of(policy("candidate", "other", STATIC)), EXPERTS)
                .orElseThrow();
        assertThat(shadow.usable()).isFalse();
        assertThat(shadow.reason()).isEqualTo(PolicyShadow.NOT_FOUND);
        assertThat(shadow.message()).isEqualTo("spec.shadow.policy: no RoutingPolicy 'candidate' in namespace ai; "
                + "no shadow decisions are made until it exists");
    }

    @Test
    void anInvalidShadowIsSkippedNamingItsProblem() {
        RoutingPolicy candidate = policy("candidate", "ai",
                "experts: {names: [math]}\nstrategy: {type: static, static: {experts: [{name: code}]}}\n");
        PolicyShadow shadow = PolicyShadow.of(LIVE, List.of(candidate), EXPERTS).orElseThrow();
        assertThat(shadow.reason()).isEqualTo(PolicyShadow.INVALID);
        assertThat(shadow.message()).startsWith("spec.shadow.policy: RoutingPolicy 'candidate' cannot decide: "
                + "spec.strategy.static.experts[0].name: expert 'code' is not among the policy's experts");
    }

    @Test
    void aShadowThatCallsAModelIsNotSupported() {
        RoutingPolicy candidate = policy("candidate", "ai",
                "experts: {names: [math, generalist]}\nstrategy: {type: metaLLM, metaLLM: {expert: generalist}}\n");
        PolicyShadow shadow = PolicyShadow.of(LIVE, List.of(candidate), EXPERTS).orElseThrow();
        assertThat(shadow.reason()).isEqualTo(PolicyShadow.UNSUPPORTED);
        assertThat(shadow.message()).contains("metaLLM");
    }

    @Test
    void aPolicyNamingItselfIsInvalidEvenIfAdmissionWasBypassed() {
        RoutingPolicy self = policy("live", "ai", STATIC + "shadow: {policy: live}\n");
        PolicyShadow shadow = PolicyShadow.of(self, List.of(self), EXPERTS).orElseThrow();
        assertThat(shadow.reason()).isEqualTo(PolicyShadow.INVALID);
        assertThat(shadow.message()).contains("cannot shadow itself");
    }
}
