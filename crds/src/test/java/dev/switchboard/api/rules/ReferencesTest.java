package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.api.rules.PolicyRulesTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

/** What a resource names, by field; and the Secrets a policy's router reads. */
class ReferencesTest {
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void aPolicyNamesExpertsAConfigMapAndASecret() {
        References refs = References.of(policy("""
                experts: {names: [math, code]}
                fallback: generalist
                strategy:
                  type: category
                  learned: {configMapRef: trained}
                  category: {routes: [{category: math, experts: [{name: math}, {name: frontier}]}]}
                  static: {experts: [{name: canary}]}
                embedding:
                  endpoint: {url: "http://embedder:8000/v1", model: e5, apiKeySecretRef: {name: embed-key, key: k}}
                """));
        assertThat(refs.all()).containsExactly(
                new Reference(Reference.Kind.EXPERT_MODEL, "math", "spec.experts.names[0]"),
                new Reference(Reference.Kind.EXPERT_MODEL, "code", "spec.experts.names[1]"),
                new Reference(Reference.Kind.EXPERT_MODEL, "generalist", "spec.fallback"),
                new Reference(Reference.Kind.EXPERT_MODEL, "canary", "spec.strategy.static.experts[0].name"),
                new Reference(Reference.Kind.EXPERT_MODEL, "math", "spec.strategy.category.routes[0].experts[0].name"),
                new Reference(Reference.Kind.EXPERT_MODEL, "frontier",
                        "spec.strategy.category.routes[0].experts[1].name"),
                new Reference(Reference.Kind.CONFIG_MAP, "trained", "spec.strategy.learned.configMapRef"),
                new Reference(Reference.Kind.SECRET, "embed-key", References.EMBEDDING_API_KEY));
        assertThat(refs.names(Reference.Kind.EXPERT_MODEL))
                .containsExactly("canary", "code", "frontier", "generalist", "math");
    }

    @Test
    void anExpertNamesItsSecrets() {
        assertThat(References.of(expert("""
                metadata: {name: hosted, namespace: ai}
                spec: {external: {url: "https://llm.example.com/v1", apiKeySecretRef: {name: hosted-key, key: k}}}
                """)).all()).containsExactly(new Reference(Reference.Kind.SECRET, "hosted-key",
                References.EXTERNAL_API_KEY));
        assertThat(References.of(expert("""
                metadata: {name: math, namespace: ai}
                spec: {model: {uri: "hf://org/math", tokenSecretRef: {name: hf-token, key: token}}}
                """)).at(References.MODEL_TOKEN)).hasValue(new Reference(Reference.Kind.SECRET, "hf-token",
                References.MODEL_TOKEN));
    }

    @Test
    void anExpertNamesWhatItsEngineEnvironmentTakesValuesFrom() {
        assertThat(References.of(expert("""
                metadata: {name: math, namespace: ai}
                spec:
                  model: {uri: "hf://org/math"}
                  engine:
                    env:
                      - {name: PLAIN, value: "1"}
                      - name: DB
                        valueFrom: {secretKeyRef: {name: db-password, key: password}}
                      - name: MODE
                        valueFrom: {configMapKeyRef: {name: settings, key: mode}}
                """)).all()).containsExactly(
                new Reference(Reference.Kind.SECRET, "db-password", "spec.engine.env[1].valueFrom.secretKeyRef"),
                new Reference(Reference.Kind.CONFIG_MAP, "settings", "spec.engine.env[2].valueFrom.configMapKeyRef"));
    }

    @Test
    void theRouterReadsTheApiKeysOfItsExistingExpertsAndOfItsEmbeddingEndpoint() {
        List<ExpertModel> experts = List.of(
                expert("""
                        metadata: {name: hosted, namespace: ai}
                        spec: {external: {url: "https://a.example/v1", apiKeySecretRef: {name: hosted-key, key: k}}}
                        """),
                expert("""
                        metadata: {name: unused, namespace: ai}
                        spec: {external: {url: "https://b.example/v1", apiKeySecretRef: {name: unused-key, key: k}}}
                        """),
                expert("""
                        metadata: {name: math, namespace: ai}
                        spec: {model: {uri: "hf://org/math", tokenSecretRef: {name: hf-token, key: token}}}
                        """));
        PolicyExperts resolved = PolicyExperts.resolve(policy("""
                experts: {names: [hosted, math, ghost]}
                strategy: {type: semantic}
                embedding:
                  endpoint: {url: "http://embedder:8000/v1", model: e5, apiKeySecretRef: {name: embed-key, key: k}}
                """), experts);
        // the vLLM pods' token is not the router's business
        assertThat(resolved.routerSecrets()).containsExactly("embed-key", "hosted-key");
    }

    static ExpertModel expert(String yaml) {
        return YAML.unmarshal("apiVersion: switchboard.dev/v1alpha1\nkind: ExpertModel\n" + yaml, ExpertModel.class);
    }
}
