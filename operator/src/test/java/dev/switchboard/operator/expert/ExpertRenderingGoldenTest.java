package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.Golden;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertRenderingGoldenTest {
    private final OperatorConfig config = OperatorConfig.defaults();

    private List<HasMetadata> render(ExpertModel expert) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(ExpertDeploymentRenderer.render(expert, config));
        objects.add(ExpertServiceRenderer.render(expert));
        WeightsCacheRenderer.render(expert).ifPresent(objects::add);
        return objects;
    }

    @Test
    void oneGpuFromHuggingFaceWithCache() {
        ExpertModel math = TestResources.example("math");
        Golden.assertMatches("expert-1gpu-math", render(math));
        Deployment d = ExpertDeploymentRenderer.render(math, config);
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSequence("--model", "Qwen/Qwen2.5-Math-7B-Instruct")
                .containsSequence("--tensor-parallel-size", "1")
                .containsSequence("--served-model-name", "qwen2.5-math-7b")
                .containsSequence("--max-model-len", "4096")
                .containsSequence("--gpu-memory-utilization", "0.9");
        assertThat(c.getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("math-cache");
    }

    @Test
    void anEmbeddingExpertRunsVllmsPoolingRunner() {
        ExpertModel embed = TestResources.expertYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: embed}
                spec:
                  task: embed
                  model: {uri: hf://BAAI/bge-small-en-v1.5, servedName: bge-small}
                  resources: {gpus: 0, cpu: "2", memory: 4Gi}
                """);
        var c = ExpertDeploymentRenderer.render(embed, config).getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        assertThat(c.getArgs()).containsSequence("--runner", "pooling").containsSequence("--served-model-name",
                "bge-small");
        var chat = ExpertDeploymentRenderer.render(TestResources.example("math"), config).getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        assertThat(chat.getArgs()).doesNotContain("--runner");
    }

    @Test
    void fourGpuTensorParallelWithRevisionTokenAndExtraArgs() {
        ExpertModel big = TestResources.expertYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata:
                  name: big
                  labels: {switchboard.dev/composition: demo, team: research}
                spec:
                  model:
                    uri: hf://meta-llama/Llama-3.1-70B-Instruct@main
                    tokenSecretRef: {name: hf-token, key: token}
                  engine:
                    image: vllm/vllm-openai:v0.10.2
                    args: ["--enable-prefix-caching", "--max-num-seqs", "64"]
                    env: [{name: VLLM_LOGGING_LEVEL, value: DEBUG}]
                    quantization: fp8
                  resources: {gpus: 4, gpuResource: amd.com/gpu, cpu: "16", memory: 256Gi}
                  replicas: 2
                """);
        Golden.assertMatches("expert-4gpu-tp", render(big));
        var c = ExpertDeploymentRenderer.render(big, config).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSequence("--tensor-parallel-size", "4").containsSequence("--revision", "main")
                .endsWith("--enable-prefix-caching", "--max-num-seqs", "64");
        assertThat(c.getResources().getLimits()).containsKey("amd.com/gpu");
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("HF_TOKEN"));
    }

    @Test
    void pvcSourceWithTolerationsAndNodeSelector() {
        ExpertModel medical = TestResources.example("medical");
        Golden.assertMatches("expert-pvc-tolerations", render(medical));
        var pod = ExpertDeploymentRenderer.render(medical, config).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getArgs()).containsSequence("--model", "/models/meditron-7b");
        assertThat(pod.getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-L4");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName() + ":"
                        + v.getPersistentVolumeClaim().getReadOnly())
                .containsExactly("model-weights:true");
    }

    @Test
    void placementIsPassedThrough() {
        ExpertModel placed = TestResources.expertYaml("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: placed}
                spec:
                  model: {uri: "s3://weights-bucket/qwen-7b", tokenSecretRef: {name: s3-creds, key: unused}}
                  resources:
                    gpus: 2
                    runtimeClassName: nvidia
                    priorityClassName: llm-high
                    tolerations: [{key: dedicated, operator: Equal, value: llm, effect: NoExecute, tolerationSeconds: 60}]
                    affinity:
                      nodeAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                          - matchExpressions: [{key: gpu.memory, operator: Gt, values: ["40000"]}]
                """);
        Golden.assertMatches("expert-placement-s3", render(placed));
        var pod = ExpertDeploymentRenderer.render(placed, config).getSpec().getTemplate().getSpec();
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(pod.getPriorityClassName()).isEqualTo("llm-high");
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getContainers().get(0).getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3-creds"));
    }

    @Test
    void externalExpertHasNoWorkload() {
        ExpertModel frontier = TestResources.example("external");
        assertThat(frontier.isExternal()).isTrue();
        assertThatThrownBy(() -> ExpertDeploymentRenderer.render(frontier, config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("external");
        assertThat(WeightsCacheRenderer.render(frontier)).isEmpty();
    }

    @Test
    void podTemplateHardening() {
        Deployment d = ExpertDeploymentRenderer.render(TestResources.example("code"), config);
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "10");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
                .isEqualTo(30 * 60);
        assertThat(pod.getVolumes()).filteredOn(v -> v.getEmptyDir() != null)
                .extracting(v -> v.getName() + ":" + v.getEmptyDir().getMedium()).contains("dshm:Memory");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsExactly(
                java.util.Map.entry("switchboard.dev/expert", "code"));
        assertThat(d.getMetadata().getLabels()).containsEntry("switchboard.dev/composition", "demo")
                .containsEntry("app.kubernetes.io/name", "vllm")
                .containsEntry("app.kubernetes.io/component", "expert");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getController()).isTrue());
    }

    @Test
    void startupBudgetIsConfigurable() {
        var c = ExpertDeploymentRenderer.render(TestResources.example("code"),
                        config.withStartupProbeBudget(java.time.Duration.ofMinutes(90)))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(540);
    }

    @Test
    void badUriIsNamed() {
        assertThatThrownBy(() -> ModelLocation.parse("ftp://x/y"))
                .hasMessageContaining("ftp://x/y").hasMessageContaining("hf://");
        assertThatThrownBy(() -> ModelLocation.parse("hf://noslash"))
                .hasMessageContaining("hf://org/name");
    }
}
