package dev.switchboard.operator.adapter;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.expert.ExpertDeploymentRenderer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a base serves its adapters: derived and fixed limits, refusals naming the field, the Deployment's flags. */
class LoraLayoutTest {
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static ExpertModel expert(String name, String created, String spec) {
        return YAML.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: "%s", namespace: ai, creationTimestamp: "%s"}
                spec:
                %s""".formatted(name, created, spec.indent(2)), ExpertModel.class);
    }

    static ExpertModel adapter(String name, int second, String extra) {
        return expert(name, "2025-01-01T00:00:%02dZ".formatted(second), "adapter: {base: llama, uri: \"hf://org/"
                + name + "\"" + extra + "}");
    }

    @Test
    void aBaseWithoutAdaptersIsUnchanged() {
        ExpertModel base = expert("llama", "2025-01-01T00:00:00Z", "model: {uri: \"hf://meta/llama\"}");
        LoraLayout layout = LoraLayout.of(base, List.of());
        assertThat(layout.enabled()).isFalse();
        assertThat(ExpertDeploymentRenderer.render(base, OperatorConfig.defaults(), layout))
                .isEqualTo(ExpertDeploymentRenderer.render(base, OperatorConfig.defaults()));
    }

    @Test
    void derivedLimitsGrowInBucketsAndRoundTheRankUpToOneVllmAccepts() {
        ExpertModel base = expert("llama", "2025-01-01T00:00:00Z", "model: {uri: \"hf://meta/llama\"}");
        List<ExpertModel> adapters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            adapters.add(adapter("a" + i, i, i == 7 ? ", rank: 40" : ""));
        }
        LoraLayout layout = LoraLayout.of(base, adapters);
        assertThat(layout.admitted()).hasSize(20);
        assertThat(layout.args()).containsExactly("--enable-lora", "--max-loras", "32", "--max-cpu-loras", "32",
                "--max-lora-rank", "64");
        assertThat(LoraLayout.of(base, adapters.subList(0, 3)).maxLoras()).isEqualTo(4);
        assertThat(LoraLayout.of(base, adapters.subList(0, 5)).maxLoras()).isEqualTo(8);
        var container = ExpertDeploymentRenderer.render(base, OperatorConfig.defaults(), layout).getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).containsSubsequence("--enable-lora", "--max-loras", "32");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VLLM_ALLOW_RUNTIME_LORA_UPDATING");
            assertThat(e.getValue()).isEqualTo("True");
        });
    }

    @Test
    void fixedLimitsRefuseTheNewestAdaptersAndTooLargeRanksNamingTheField() {
        ExpertModel base = expert("llama", "2025-01-01T00:00:00Z",
                "model: {uri: \"hf://meta/llama\"}\nengine: {lora: {maxLoras: 2, maxLoraRank: 16}}");
        LoraLayout layout = LoraLayout.of(base, List.of(adapter("c", 3, ""), adapter("big", 1, ", rank: 64"),
                adapter("a", 1, ""), adapter("b", 2, "")));
        assertThat(layout.admitted().keySet()).containsExactly("a", "b");
        assertThat(layout.refusal("big")).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("RankTooLarge");
            assertThat(r.message()).isEqualTo("spec.adapter.rank 64 exceeds the base's limit: ExpertModel llama "
                    + "spec.engine.lora.maxLoraRank is 16");
        });
        assertThat(layout.refusal("c")).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("TooManyAdapters");
            assertThat(r.message()).contains("spec.engine.lora.maxLoras", "at most 2 adapters");
        });
        assertThat(layout.args()).containsExactly("--enable-lora", "--max-loras", "2", "--max-cpu-loras", "2",
                "--max-lora-rank", "16");
    }

    @Test
    void pvcAdaptersAreMountedReadOnlyAndLoadedFromTheMount() {
        ExpertModel base = expert("llama", "2025-01-01T00:00:00Z", "model: {uri: \"hf://meta/llama\"}");
        ExpertModel onClaim = expert("sql", "2025-01-01T00:00:01Z",
                "adapter: {base: llama, uri: \"pvc://loras/sql/v2\"}");
        LoraLayout layout = LoraLayout.of(base, List.of(onClaim));
        assertThat(LoraLayout.loraPath(onClaim.getSpec().adapter)).isEqualTo("/adapters/loras/sql/v2");
        assertThat(LoraLayout.loraPath(adapter("x", 0, "").getSpec().adapter)).isEqualTo("org/x");
        assertThat(layout.volumes()).singleElement().satisfies(v -> {
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("loras");
            assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
        });
        assertThat(layout.mounts()).singleElement().satisfies(m -> assertThat(m.getMountPath())
                .isEqualTo("/adapters/loras"));
    }
}
