package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vLLM container's env has one entry per name: server-side apply refuses a Deployment with two. */
class ExpertEnvTest {
    static final ExpertModel EXPERT = Serialization.unmarshal("""
            apiVersion: switchboard.dev/v1alpha1
            kind: ExpertModel
            metadata: {name: math, namespace: ai, uid: u-1}
            spec:
              model: {uri: "hf://org/math"}
              engine:
                env:
                - {name: HF_HOME, value: /models/hf}
                - {name: VLLM_API_KEY, value: chosen}
                - {name: VLLM_LOGGING_LEVEL, value: DEBUG}
            """, ExpertModel.class);

    static List<EnvVar> env(OperatorConfig config) {
        return ExpertDeploymentRenderer.render(EXPERT, config).getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv();
    }

    @Test
    void specEnvReplacesTheOperatorsDefaultsOfTheSameName() {
        List<EnvVar> env = env(OperatorConfig.defaults());
        assertThat(env).extracting(EnvVar::getName).doesNotHaveDuplicates()
                .containsExactly("HOME", "HF_HOME", "XDG_CACHE_HOME", "VLLM_NO_USAGE_STATS", "VLLM_API_KEY",
                        "VLLM_LOGGING_LEVEL");
        assertThat(env).filteredOn(e -> e.getName().equals("HF_HOME")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("/models/hf"));
    }

    @Test
    void theExpertApiKeyReplacesAnyEntryOfTheSameName() {
        List<EnvVar> env = env(OperatorConfig.defaults().withExpertApiKeys(true));
        assertThat(env).extracting(EnvVar::getName).doesNotHaveDuplicates();
        assertThat(env).filteredOn(e -> e.getName().equals("VLLM_API_KEY")).singleElement().satisfies(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("switchboard-expert-api-key");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
        });

        List<EnvVar> named = env(OperatorConfig.defaults().withExpertApiKeys(
                new OperatorConfig.ExpertApiKeys(true, "llm-key")));
        assertThat(named).filteredOn(e -> e.getName().equals("VLLM_API_KEY")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("llm-key"));
    }

    @Test
    void theKeySecretMustBeASecretName() {
        assertThatThrownBy(() -> new OperatorConfig.ExpertApiKeys(true, "Not_A_Name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("switchboard.operator.expert-api-keys.secret-name");
    }
}
