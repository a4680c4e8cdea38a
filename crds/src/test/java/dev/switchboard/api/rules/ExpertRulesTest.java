package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What keeps the operator from realising an ExpertModel or a policy's router, each problem naming its field. */
class ExpertRulesTest {
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static ExpertModel expert(String name, String spec) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: "%s", namespace: ai}
                spec:
                %s""".formatted(name, spec.indent(2)), ExpertModel.class);
    }

    static List<String> problems(String name, String spec) {
        return ExpertRules.check(expert(name, spec)).stream().map(Problem::toString).toList();
    }

    @Test
    void aDeployableExpertHasNoProblems() {
        assertThat(problems("math", """
                model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct"}
                engine: {env: [{name: VLLM_LOGGING_LEVEL, value: DEBUG}, {name: my.flag-2, value: "1"}]}
                """)).isEmpty();
        assertThat(problems("e".repeat(63), "external: {url: \"https://llm.example/v1\"}")).isEmpty();
    }

    @Test
    void aNameThatCannotNameAServiceIsRefused() {
        assertThat(problems("math.v2", "model: {uri: \"hf://org/m\"}")).containsExactly(
                "metadata.name: 'math.v2' is not a DNS-1035 label (lower-case letters, digits and '-', starting "
                        + "with a letter, no dots): it names the expert's Service");
        assertThat(problems("e".repeat(64), "model: {uri: \"hf://org/m\"}")).containsExactly(
                "metadata.name: '" + "e".repeat(64) + "' has 64 characters, at most 63 fit: it names the expert's "
                        + "Service");
    }

    @Test
    void envEntriesNeedAValidName() {
        assertThat(problems("math", """
                model: {uri: "hf://org/m"}
                engine:
                  env:
                  - {value: "1"}
                  - {name: "MY VAR", value: "1"}
                  - {name: "9LIVES", value: "1"}
                  - {name: A, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}
                  - {name: A, value: y}
                """)).containsExactly(
                "spec.engine.env[0].name: missing: every environment variable needs a name",
                "spec.engine.env[1].name: 'MY VAR' is not a valid environment variable name (letters, digits, '_', "
                        + "'-' and '.', not starting with a digit)",
                "spec.engine.env[2].name: '9LIVES' is not a valid environment variable name (letters, digits, '_', "
                        + "'-' and '.', not starting with a digit)",
                "spec.engine.env[3]: value and valueFrom are mutually exclusive",
                "spec.engine.env[4].name: 'A' is also spec.engine.env[3]: each name may appear once");
    }

    @Test
    void modelAndExternalAreExclusiveAndTheUriMustBeKnown() {
        assertThat(problems("math", "replicas: 1")).containsExactly(
                "spec: exactly one of spec.model (deploy vLLM) or spec.external (existing endpoint) or spec.adapter (a "
                        + "LoRA adapter on a base expert) must be set");
        assertThat(problems("math", "model: {uri: \"ftp://org/m\"}")).containsExactly(
                "spec.model.uri: 'ftp://org/m' is not hf://org/name[@revision], pvc://claim/path or s3://bucket/path");
    }

    @Test
    void anAdapterNamesItsBaseAKnownUriAndNothingOfADeployment() {
        assertThat(problems("sql", "adapter: {base: sql, uri: \"s3://bucket/a\", rank: 1024}\nengine: {maxModelLen: 8}"))
                .containsExactly(
                        "spec.adapter.base: an adapter cannot be its own base",
                        "spec.adapter.uri: 's3://bucket/a' is not hf://org/name or pvc://claim/path (vLLM loads adapters "
                                + "without a revision)",
                        "spec.adapter.rank: must be 1..512, got 1024",
                        "spec.adapter: spec.engine, spec.cache, spec.resources and spec.autoscaling do not apply to an "
                                + "adapter: set them on the base");
        assertThat(problems("sql", "adapter: {base: llama, uri: \"hf://org/sql-lora\"}")).isEmpty();
        assertThat(problems("sql", "adapter: {base: llama, uri: \"pvc://loras/sql/../../etc\"}")).containsExactly(
                "spec.adapter.uri: must not contain a '..' segment: the path is read by the base's vLLM and must stay "
                        + "inside the claim");
        assertThat(problems("sql", "adapter: {base: llama, uri: \"pvc://loras/sql..v2/a\"}")).isEmpty();
        assertThat(problems("sql", "adapter: {base: llama, uri: \"hf://org/a\"}\nmodel: {uri: \"hf://org/m\"}"))
                .containsExactly("spec: " + dev.switchboard.api.v1alpha1.ExpertModelSpec.EXACTLY_ONE);
    }

    @Test
    void autoscalingBoundsAreConsistent() {
        assertThat(problems("math", "model: {uri: \"hf://org/m\"}\nautoscaling: {minReplicas: 3, maxReplicas: 2, "
                + "scaleDownDelay: soon}")).containsExactly(
                "spec.autoscaling.minReplicas: must not exceed spec.autoscaling.maxReplicas (2), got 3",
                "spec.autoscaling.scaleDownDelay: must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m, "
                        + "not \"soon\"");
        assertThat(problems("math", "external: {url: \"https://x.example/v1\"}\nautoscaling: {maxReplicas: 2}"))
                .containsExactly("spec.autoscaling: applies only to deployed experts, not to spec.external");
    }

    @Test
    void aPolicyNameMustLeaveRoomForTheRouterSuffix() {
        RoutingPolicy policy = YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: "%s", namespace: ai}
                spec: {experts: {names: [a]}, strategy: {type: semantic}}
                """.formatted("p".repeat(57)), RoutingPolicy.class);
        assertThat(ObjectNames.of(policy)).map(Problem::toString).containsExactly("metadata.name: '" + "p".repeat(57)
                + "' has 57 characters, at most 56 fit: it names the router's Service <name>-router");
        policy.getMetadata().setName("p".repeat(56));
        assertThat(ObjectNames.of(policy)).isEmpty();
    }

    @Test
    void theApiKeyOfAnExpertIsTheExternalOneOrTheGeneratedOne() {
        ExpertModel external = expert("hosted", """
                external: {url: "https://llm.example/v1", apiKeySecretRef: {name: hosted-key, key: token}}
                """);
        assertThat(ExpertApiKey.of(external)).get().satisfies(k -> {
            assertThat(k.field()).isEqualTo("spec.external.apiKeySecretRef");
            assertThat(k.ref().name).isEqualTo("hosted-key");
        });
        ExpertModel deployed = expert("math", "model: {uri: \"hf://org/m\"}");
        assertThat(ExpertApiKey.of(deployed)).isEmpty();
        deployed.setStatus(new dev.switchboard.api.v1alpha1.ExpertModelStatus());
        deployed.getStatus().apiKeySecretRef = new SecretKeyRef("switchboard-expert-api-key", "api-key");
        assertThat(ExpertApiKey.of(deployed)).get().satisfies(k -> {
            assertThat(k.field()).isEqualTo("status.apiKeySecretRef");
            assertThat(k.ref().name).isEqualTo("switchboard-expert-api-key");
        });
        RoutingPolicy policy = YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: p, namespace: ai}
                spec: {experts: {names: [math, hosted]}, strategy: {type: semantic}}
                """, RoutingPolicy.class);
        assertThat(PolicyExperts.resolve(policy, List.of(deployed, external)).routerSecrets())
                .containsExactly("hosted-key", "switchboard-expert-api-key");
    }
}
