package dev.switchboard.operator.trust;

import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin's trust policy applied to resources as written: each violation names its field and rule. */
class TrustChecksTest {
    static final TrustPolicy CHART_DEFAULTS = TrustPolicy.strict().withTolerationKeys(List.of("nvidia.com/gpu"));

    @Test
    void theExamplesNeedNothingBeyondTheChartDefaults() {
        for (String name : List.of("math", "code", "medical", "legal", "generalist", "external")) {
            assertThat(TrustChecks.of(TestResources.example(name), CHART_DEFAULTS, OperatorConfig.DEFAULT_VLLM_IMAGE))
                    .as(name).isEmpty();
        }
        for (String name : List.of("category-policy", "coe-trained-policy", "semantic-policy", "canary-policy")) {
            assertThat(TrustChecks.of(TestResources.policyExample(name), CHART_DEFAULTS,
                    OperatorConfig.DEFAULT_ROUTER_IMAGE)).as(name).isEmpty();
        }
    }

    @Test
    void anArbitraryPodIsRefusedFieldByField() {
        var expert = TestResources.expertYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: miner, namespace: team}
                spec:
                  model: {uri: "hf://org/model"}
                  engine:
                    image: evil/miner:1
                    args: [--TRUST-REMOTE, --max-num-seqs=8]
                    env: [{name: HF_ENDPOINT, value: "https://alice.example"}]
                  resources:
                    priorityClassName: system-cluster-critical
                    runtimeClassName: kata
                    tolerations: [{operator: Exists}, {key: nvidia.com/gpu, operator: Exists}, {key: spot}]
                    affinity: {nodeAffinity: {}}
                """);
        assertThat(TrustChecks.of(expert, CHART_DEFAULTS, OperatorConfig.DEFAULT_VLLM_IMAGE))
                .extracting(Violation::field, Violation::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("spec.engine.image", Violation.IMAGE_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.engine.args[0]", Violation.REMOTE_CODE_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.engine.env", Violation.ENV_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.resources.priorityClassName",
                                Violation.PRIORITY_CLASS_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.resources.runtimeClassName",
                                Violation.RUNTIME_CLASS_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.resources.tolerations[0]",
                                Violation.TOLERATION_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.resources.tolerations[2]",
                                Violation.TOLERATION_NOT_ALLOWED),
                        org.assertj.core.groups.Tuple.tuple("spec.resources.affinity", Violation.AFFINITY_NOT_ALLOWED));

        TrustPolicy permissive = new TrustPolicy(List.of("evil/"), List.of(), List.of("system-cluster-critical"),
                List.of("kata"), List.of("*"), true, true, true, EndpointRules.defaults());
        assertThat(TrustChecks.of(expert, permissive, OperatorConfig.DEFAULT_VLLM_IMAGE)).isEmpty();
    }

    @Test
    void aRouterImageMustBeTheDefaultOrUnderAnAllowedPrefix() {
        var policy = TestResources.policyYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: p, namespace: team}
                spec:
                  experts: {names: [a]}
                  strategy: {type: static, static: {experts: [{name: a}]}}
                  router: {image: "registry.example.com/switchboard/router:2"}
                  embedding: {endpoint: {url: "http://169.254.169.254/v1", model: e5}}
                """);
        assertThat(TrustChecks.of(policy, CHART_DEFAULTS, OperatorConfig.DEFAULT_ROUTER_IMAGE))
                .extracting(Violation::toString).containsExactly(
                        "spec.router.image: image registry.example.com/switchboard/router:2 is neither the default ("
                                + OperatorConfig.DEFAULT_ROUTER_IMAGE + ") nor under a prefix in trust.images.router []",
                        "spec.embedding.endpoint.url: address 169.254.169.254 is a loopback, link-local, multicast or "
                                + "unspecified address (denied unless listed in trust.endpoints.allowedCIDRs)");
        TrustPolicy registry = new TrustPolicy(List.of(), List.of("registry.example.com/switchboard/"), List.of(),
                List.of(), List.of(), false, false, false, EndpointRules.defaults());
        assertThat(TrustChecks.of(policy, registry, OperatorConfig.DEFAULT_ROUTER_IMAGE))
                .extracting(Violation::field).containsExactly("spec.embedding.endpoint.url");
    }
}
