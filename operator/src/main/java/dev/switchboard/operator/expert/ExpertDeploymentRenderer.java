package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.EngineSpec;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.ExpertResources;
import dev.switchboard.api.v1alpha1.ModelSource;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.operator.adapter.LoraLayout;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ExpertModel → vLLM Deployment: a pure function of the spec and the operator's defaults. */
public final class ExpertDeploymentRenderer {
    public static final int PORT = 8000;
    public static final String CONTAINER = "vllm";
    static final String CACHE_MOUNT = "/cache";
    static final int PROBE_PERIOD_SECONDS = 10;
    static final int TERMINATION_GRACE_SECONDS = 60;
    static final int PRE_STOP_SLEEP_SECONDS = 10;
    static final long RUN_AS = 1000L;

    private ExpertDeploymentRenderer() {
    }

    public static Deployment render(ExpertModel expert, OperatorConfig config) {
        return render(expert, config, LoraLayout.none());
    }

    /** With the LoRA flags, env and adapter claims of the adapter experts the base serves. */
    public static Deployment render(ExpertModel expert, OperatorConfig config, LoraLayout lora) {
        if (expert.isExternal()) {
            throw new IllegalArgumentException("ExpertModel " + expert.getMetadata().getName()
                    + " is external (spec.external): nothing to deploy");
        }
        ExpertModelSpec spec = expert.getSpec();
        if (spec == null || spec.model == null) {
            throw new IllegalArgumentException("ExpertModel " + expert.getMetadata().getName() + " has no spec.model");
        }
        String name = expert.getMetadata().getName();
        ExpertResources resources = spec.resources != null ? spec.resources : new ExpertResources();
        EngineSpec engine = spec.engine != null ? spec.engine : new EngineSpec();
        ModelLocation location = ModelLocation.parse(spec.model.uri);
        Map<String, String> labels = ExpertLabels.of(expert);

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        // vLLM's tensor-parallel workers exchange tensors through shared memory; the 64Mi default is far too small.
        volumes.add(new VolumeBuilder().withName("dshm").withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
        // HF downloads, torch/triton compile caches and HOME: a PVC when spec.cache is set, else scratch space.
        if (spec.cache != null) {
            volumes.add(new VolumeBuilder().withName("cache").withNewPersistentVolumeClaim()
                    .withClaimName(cacheClaimName(name)).endPersistentVolumeClaim().build());
        } else {
            volumes.add(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build());
        }
        mounts.add(new VolumeMountBuilder().withName("cache").withMountPath(CACHE_MOUNT).build());
        location.claimName().ifPresent(claim -> {
            volumes.add(new VolumeBuilder().withName("model").withNewPersistentVolumeClaim()
                    .withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim().build());
            mounts.add(new VolumeMountBuilder().withName("model").withMountPath(ModelLocation.MODELS_MOUNT)
                    .withReadOnly(true).build());
        });

        volumes.addAll(lora.volumes());
        mounts.addAll(lora.mounts());
        List<String> args = new ArrayList<>(args(expert, engine, resources, location));
        args.addAll(lora.args());
        List<EnvVar> env = env(spec.model, engine, location, config.expertApiKeys().enabled()
                ? Optional.of(ExpertApiKeySecret.ref(config)) : Optional.empty());
        lora.env().stream().filter(e -> env.stream().noneMatch(x -> x.getName().equals(e.getName())))
                .forEach(env::add); // spec.engine.env keeps the last word, as for the operator's other defaults
        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(engine.image != null && !engine.image.isBlank() ? engine.image : config.vllmImage())
                .withImagePullPolicy(config.imagePullPolicy())
                .withCommand("python3", "-m", "vllm.entrypoints.openai.api_server")
                .withArgs(args)
                .withEnv(env)
                .withEnvFrom(envFrom(spec.model, location))
                .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
                .withNewResources()
                .withRequests(resourceMap(resources))
                .withLimits(resourceMap(resources))
                .endResources()
                .withStartupProbe(healthProbe(PROBE_PERIOD_SECONDS, startupFailureThreshold(config), 5))
                .withReadinessProbe(healthProbe(5, 3, 5))
                .withLivenessProbe(healthProbe(15, 4, 10))
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("sleep", Integer.toString(PRE_STOP_SLEEP_SECONDS))
                .endExec().endPreStop().endLifecycle()
                .withVolumeMounts(mounts)
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();

        PodSpecBuilder pod = new PodSpecBuilder()
                .withContainers(container)
                .withVolumes(volumes)
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds((long) TERMINATION_GRACE_SECONDS)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS)
                .withRunAsGroup(RUN_AS)
                .withFsGroup(RUN_AS)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext();
        if (resources.nodeSelector != null && !resources.nodeSelector.isEmpty()) {
            pod.withNodeSelector(new LinkedHashMap<>(resources.nodeSelector));
        }
        if (resources.tolerations != null && !resources.tolerations.isEmpty()) {
            pod.withTolerations(resources.tolerations);
        }
        if (resources.affinity != null) {
            pod.withAffinity(resources.affinity);
        }
        if (resources.runtimeClassName != null) {
            pod.withRuntimeClassName(resources.runtimeClassName);
        }
        if (resources.priorityClassName != null) {
            pod.withPriorityClassName(resources.priorityClassName);
        }

        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(expert.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(Owners.controllerRef(expert))
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.replicas == null ? 1 : spec.replicas)
                .withRevisionHistoryLimit(3)
                // A slow download must not be reported as a failed rollout before the startup probe gives up.
                .withProgressDeadlineSeconds((int) config.startupProbeBudget().toSeconds() + 600)
                .withNewSelector().withMatchLabels(ExpertLabels.selector(name)).endSelector()
                // GPUs are scarce: replace pods one at a time instead of asking for a spare GPU to surge onto.
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(1))
                .endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .endSpec()
                .build();
    }

    public static String cacheClaimName(String expertName) {
        return expertName + "-cache";
    }

    static int startupFailureThreshold(OperatorConfig config) {
        long seconds = config.startupProbeBudget().toSeconds();
        return (int) Math.max(1, (seconds + PROBE_PERIOD_SECONDS - 1) / PROBE_PERIOD_SECONDS);
    }

    private static List<String> args(ExpertModel expert, EngineSpec engine, ExpertResources resources,
                                     ModelLocation location) {
        List<String> args = new ArrayList<>();
        args.add("--model");
        args.add(location.model());
        location.revision().ifPresent(r -> {
            args.add("--revision");
            args.add(r);
        });
        if (location.s3()) {
            args.add("--load-format");
            args.add("runai_streamer");
        }
        args.add("--served-model-name");
        args.add(expert.servedModelName());
        args.add("--port");
        args.add(Integer.toString(PORT));
        if (expert.embeds()) {
            // spec.task: embed: vLLM's pooling runner serves /v1/embeddings (vLLM >= 0.10.1; --task embed before)
            args.add("--runner");
            args.add("pooling");
        }
        int gpus = resources.gpus == null ? 1 : resources.gpus;
        if (gpus > 0) {
            args.add("--tensor-parallel-size");
            args.add(Integer.toString(gpus));
        }
        if (engine.maxModelLen != null) {
            args.add("--max-model-len");
            args.add(engine.maxModelLen.toString());
        }
        if (engine.gpuMemoryUtilization != null) {
            args.add("--gpu-memory-utilization");
            args.add(engine.gpuMemoryUtilization.toString());
        }
        if (engine.dtype != null) {
            args.add("--dtype");
            args.add(engine.dtype);
        }
        if (engine.quantization != null) {
            args.add("--quantization");
            args.add(engine.quantization);
        }
        if (engine.args != null) {
            args.addAll(engine.args);
        }
        return args;
    }

    private static List<EnvVar> env(ModelSource model, EngineSpec engine, ModelLocation location,
                                    Optional<SecretKeyRef> apiKey) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("HOME", CACHE_MOUNT + "/home", null));
        env.add(new EnvVar("HF_HOME", CACHE_MOUNT + "/huggingface", null));
        env.add(new EnvVar("XDG_CACHE_HOME", CACHE_MOUNT, null));
        env.add(new EnvVar("VLLM_NO_USAGE_STATS", "1", null));
        if (model.tokenSecretRef != null && !location.s3()) {
            env.add(new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                    .withName(model.tokenSecretRef.name).withKey(model.tokenSecretRef.key)
                    .endSecretKeyRef().endValueFrom().build());
        }
        // One entry per name (server-side apply refuses a list with two): spec.engine.env replaces the defaults
        // above, and the expert API key replaces any entry of spec.engine.env, so the routers' key is the one.
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        env.forEach(e -> byName.put(e.getName(), e));
        if (engine.env != null) {
            engine.env.forEach(e -> byName.put(e.name, new EnvVar(e.name, e.value, e.valueFrom)));
        }
        apiKey.ifPresent(ref -> byName.put(ExpertApiKeySecret.ENV, new EnvVarBuilder()
                .withName(ExpertApiKeySecret.ENV).withNewValueFrom().withNewSecretKeyRef().withName(ref.name)
                .withKey(ref.key).endSecretKeyRef().endValueFrom().build()));
        return new ArrayList<>(byName.values());
    }

    /** S3 needs two credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): the whole Secret becomes env. */
    private static List<EnvFromSource> envFrom(ModelSource model, ModelLocation location) {
        if (!location.s3() || model.tokenSecretRef == null) {
            return List.of();
        }
        return List.of(new EnvFromSourceBuilder().withNewSecretRef().withName(model.tokenSecretRef.name)
                .endSecretRef().build());
    }

    /** Requests equal limits: guaranteed QoS, and extended resources (GPUs) require it anyway. */
    private static Map<String, Quantity> resourceMap(ExpertResources resources) {
        Map<String, Quantity> map = new LinkedHashMap<>();
        if (resources.cpu != null) {
            map.put("cpu", new Quantity(resources.cpu));
        }
        if (resources.memory != null) {
            map.put("memory", new Quantity(resources.memory));
        }
        int gpus = resources.gpus == null ? 1 : resources.gpus;
        if (gpus > 0) {
            String gpuResource = resources.gpuResource == null ? "nvidia.com/gpu" : resources.gpuResource;
            map.put(gpuResource, new Quantity(Integer.toString(gpus)));
        }
        return map;
    }

    private static Probe healthProbe(int period, int failureThreshold, int timeout) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(timeout)
                .build();
    }
}
