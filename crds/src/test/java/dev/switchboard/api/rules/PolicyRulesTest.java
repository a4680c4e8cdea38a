package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks both the operator and the router apply to a RoutingPolicy, each problem naming its field. */
class PolicyRulesTest {
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final List<ExpertModel> EXPERTS = List.of(
            expert("math", "specialist", "[math]"), expert("code", "specialist", "[code]"),
            expert("generalist", "generalist", "[general]"), expert("elsewhere", "specialist", "[law]", "other"));

    static ExpertModel expert(String name, String tier, String categories) {
        return expert(name, tier, categories, "ai");
    }

    static ExpertModel expert(String name, String tier, String categories, String namespace) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: %s, namespace: %s, labels: {tier: %s}}
                spec:
                  model: {uri: "hf://org/%s"}
                  expertise: {categories: %s}
                """.formatted(name, namespace, tier, name, categories), ExpertModel.class);
    }

    static RoutingPolicy policy(String spec) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: p, namespace: ai}
                spec:
                %s""".formatted(spec.indent(2)), RoutingPolicy.class);
    }

    static List<String> problems(String spec) {
        return PolicyRules.check(PolicyExperts.resolve(policy(spec), EXPERTS)).stream().map(Problem::toString)
                .toList();
    }

    @Test
    void theExpertsOfAPolicyAreTheSelectedOnesTheListedOnesAndTheFallback() {
        PolicyExperts experts = PolicyExperts.resolve(policy("""
                experts:
                  selector: {matchLabels: {tier: specialist}}
                  names: [ghost]
                fallback: generalist
                strategy: {type: semantic}
                """), EXPERTS);
        // "elsewhere" matches the selector but lives in another namespace
        assertThat(experts.names()).containsExactly("code", "generalist", "ghost", "math");
        assertThat(experts.found()).containsOnlyKeys("code", "generalist", "math");
        assertThat(experts.missing()).containsExactly("ghost");
    }

    @Test
    void aValidPolicyHasNoProblems() {
        assertThat(problems("""
                experts: {selector: {matchLabels: {tier: specialist}}}
                fallback: generalist
                strategy:
                  type: category
                  category:
                    categories: [{name: chat}]
                    routes:
                      - {category: math, experts: [{name: math}]}
                      - {category: chat, experts: [{name: generalist, weight: 3}, {name: code, weight: 0}]}
                """)).isEmpty();
    }

    @Test
    void aRouteForACategoryNoClassifierCanPredictIsRefused() {
        assertThat(problems("""
                experts: {names: [math, code]}
                strategy:
                  type: category
                  category:
                    categories: [{name: chat}]
                    routes: [{category: maths, experts: [{name: math}]}]
                """)).containsExactly("spec.strategy.category.routes[0].category: unknown category 'maths' "
                + "(known: chat, code, math)");
    }

    @Test
    void aTrainedClassifiersCategoriesAreLeftToTheRouter() {
        assertThat(problems("""
                experts: {names: [math]}
                strategy:
                  type: category
                  learned: {configMapRef: trained}
                  category: {routes: [{category: maths, experts: [{name: math}]}]}
                """)).isEmpty();
        assertThat(PolicyRules.unknownRouteCategories(policy("""
                experts: {names: [math]}
                strategy:
                  type: category
                  category: {routes: [{category: maths, experts: [{name: math}]}]}
                """).getSpec().strategy.category, List.of("math", "law"), "the artifact knows"))
                .extracting(Problem::toString).containsExactly("spec.strategy.category.routes[0].category: unknown "
                        + "category 'maths' (the artifact knows: math, law)");
    }

    @Test
    void expertsNamedByTheStrategyMustBeThePolicysExperts() {
        assertThat(problems("""
                experts: {names: [math]}
                strategy: {type: static, static: {experts: [{name: math}, {name: code}]}}
                """)).containsExactly("spec.strategy.static.experts[1].name: expert 'code' is not among the policy's "
                + "experts (spec.experts.names does not list it); list it in spec.experts.names");
        assertThat(problems("""
                experts: {selector: {matchLabels: {tier: specialist}}}
                strategy:
                  type: category
                  category: {routes: [{category: math, experts: [{name: generalist}]}]}
                """)).containsExactly("spec.strategy.category.routes[0].experts[0].name: expert 'generalist' is not "
                + "among the policy's experts (spec.experts.selector does not select it); list it in "
                + "spec.experts.names");
        assertThat(problems("""
                experts: {names: [math]}
                strategy: {type: metaLLM, metaLLM: {expert: ghost}}
                """)).containsExactly("spec.strategy.metaLLM.expert: expert 'ghost' is not among the policy's experts "
                + "(no ExpertModel of that name exists in namespace ai); list it in spec.experts.names");
        // listed, selected or the fallback is enough, existing or not
        assertThat(problems("""
                experts: {selector: {matchLabels: {tier: specialist}}, names: [ghost]}
                fallback: generalist
                strategy:
                  type: static
                  static: {experts: [{name: math}, {name: ghost}, {name: generalist}]}
                """)).isEmpty();
    }

    @Test
    void weightsAndDuplicates() {
        assertThat(problems("""
                experts: {names: [math, code]}
                strategy:
                  type: static
                  static: {experts: [{name: math, weight: 0}, {name: math, weight: 0}, {name: code, weight: -1}]}
                """)).containsExactly(
                "spec.strategy.static.experts[1].name: expert 'math' is listed twice",
                "spec.strategy.static.experts[2].weight: must be >= 0, got -1",
                "spec.strategy.static.experts: all weights are 0, so no traffic could go anywhere");
        assertThat(problems("""
                experts: {names: [math]}
                strategy:
                  type: category
                  category:
                    categories: [{name: math}, {name: math}]
                    routes:
                      - {category: math, experts: [{name: math}]}
                      - {category: math, experts: [{name: math}]}
                """)).containsExactly(
                "spec.strategy.category.categories[1].name: category 'math' is defined twice",
                "spec.strategy.category.routes[1].category: 'math' is routed twice");
    }

    @Test
    void aZeroShotCategoryStrategyNeedsCategories() {
        assertThat(problems("""
                experts: {names: [ghost]}
                strategy: {type: category, category: {}}
                """)).containsExactly("spec.strategy.category.categories: no categories; define them here or in the "
                + "selected experts' expertise.categories");
    }

    @Test
    void onlyTheSettingsOfTheStrategyInUseAreChecked() {
        assertThat(problems("""
                experts: {names: [math]}
                strategy:
                  type: semantic
                  static: {experts: [{name: nobody}]}
                """)).isEmpty();
    }

    @Test
    void aBadSelectorSelectsNothingAndIsReported() {
        String spec = """
                experts:
                  selector: {matchExpressions: [{key: tier, operator: Like, values: [x]}]}
                  names: [math]
                strategy: {type: static, static: {experts: [{name: math}]}}
                """;
        assertThat(PolicyExperts.resolve(policy(spec), EXPERTS).names()).containsExactly("math");
        assertThat(problems(spec)).containsExactly("spec.experts.selector.matchExpressions[0]: key tier: unknown "
                + "operator 'Like', expected In, NotIn, Exists or DoesNotExist");
    }

    @Test
    void theZeroShotCategoriesAreTheDefinedOnesThenTheExperts() {
        PolicyExperts experts = PolicyExperts.resolve(policy("""
                experts: {names: [math, code, generalist]}
                strategy: {type: category, category: {categories: [{name: chat}, {name: math}]}}
                """), EXPERTS);
        assertThat(PolicyRules.zeroShotCategories(experts)).containsExactly("chat", "math", "code", "general");
    }

    @Test
    void expertsOfAPolicyMustServeDistinctModelNames() {
        List<ExpertModel> experts = List.of(YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math, namespace: ai}
                spec: {model: {uri: "hf://org/math", servedName: qwen}}
                """, ExpertModel.class), YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math-canary, namespace: ai}
                spec: {model: {uri: "hf://org/math2", servedName: qwen}}
                """, ExpertModel.class), YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: qwen, namespace: ai}
                spec: {external: {url: "https://llm.example/v1"}}
                """, ExpertModel.class));
        RoutingPolicy both = policy("experts: {names: [math, math-canary]}\nstrategy: {type: semantic}\n");
        assertThat(PolicyRules.check(PolicyExperts.resolve(both, experts))).map(Problem::toString).containsExactly(
                "spec.experts: experts math, math-canary all serve the model name 'qwen' (spec.model.servedName, "
                        + "else metadata.name); the experts of a policy need distinct served names");
        // an expert without servedName serves its metadata.name
        RoutingPolicy external = policy("experts: {names: [math, qwen]}\nstrategy: {type: semantic}\n");
        assertThat(PolicyRules.check(PolicyExperts.resolve(external, experts))).map(Problem::toString)
                .containsExactly("spec.experts: experts math, qwen all serve the model name 'qwen' "
                        + "(spec.model.servedName, else metadata.name); the experts of a policy need distinct served "
                        + "names");
        // experts with the same served name in different policies are fine
        RoutingPolicy one = policy("experts: {names: [math]}\nstrategy: {type: semantic}\n");
        assertThat(PolicyRules.check(PolicyExperts.resolve(one, experts))).isEmpty();
    }

    @Test
    void durationsMustBeAtLeastOneMillisecond() {
        assertThat(problems("""
                experts: {names: [math]}
                strategy: {type: semantic}
                timeouts: {connect: 0s, firstByte: 1m30s, request: 0.4ms}
                failover: {circuitBreakerOpenFor: forever}
                """)).containsExactly(
                "spec.timeouts.connect: must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m, not \"0s\"",
                "spec.timeouts.request: must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m, "
                        + "not \"0.4ms\"",
                "spec.failover.circuitBreakerOpenFor: must be a duration of at least 1ms such as 500ms, 30s, 5m or "
                        + "1h30m, not \"forever\"");
        assertThat(problems("""
                experts: {names: [math]}
                strategy: {type: semantic}
                timeouts: {connect: 1ms, firstByte: -5s}
                """)).containsExactly("spec.timeouts.firstByte: must be a duration of at least 1ms such as 500ms, "
                + "30s, 5m or 1h30m, not \"-5s\"");
    }

    @Test
    void goDurationsParseWhatTheRouterHonours() {
        assertThat(GoDurations.parse("f", "1h30m")).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(GoDurations.parse("f", "1.5s")).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(GoDurations.parse("f", "250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoDurations.parse("spec.timeouts.connect", "0h0m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spec.timeouts.connect: must be a duration of at least 1ms");
    }
}
