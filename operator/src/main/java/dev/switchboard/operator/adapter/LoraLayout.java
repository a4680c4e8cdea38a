package dev.switchboard.operator.adapter;

import dev.switchboard.api.v1alpha1.AdapterSource;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.LoraLimits;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How a base expert serves its adapter experts: vLLM's LoRA flags (targeted: vLLM v0.11.0, runtime loading through
 * {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING}), the claims pvc:// adapters are read from, and which adapters fit.
 * A pure function of the base and the adapters naming it.
 *
 * <p>Without {@code spec.engine.lora} on the base the limits are derived: {@code --max-loras} is the adapter count
 * rounded up to a power of two (at least 4), so adding adapters restarts the base's pods only when a bucket
 * fills; {@code --max-lora-rank} is the largest adapter rank rounded up to a rank vLLM accepts. With fixed limits,
 * adapters beyond {@code maxLoras} (the newest first) and adapters whose rank exceeds {@code maxLoraRank} are
 * refused, each with a message naming the field.
 */
public final class LoraLayout {
    /** The values vLLM v0.11 accepts for --max-lora-rank. */
    static final int[] VLLM_RANKS = {1, 8, 16, 32, 64, 128, 256, 320, 512};
    static final int MIN_DERIVED_MAX_LORAS = 4;
    public static final String ADAPTERS_MOUNT = "/adapters";
    public static final String RUNTIME_UPDATING_ENV = "VLLM_ALLOW_RUNTIME_LORA_UPDATING";

    /** Why an adapter is not served by its base. */
    public record Refusal(String reason, String message) {
    }

    private final boolean enabled;
    private final int maxLoras;
    private final int maxLoraRank;
    private final Map<String, ExpertModel> admitted;
    private final Map<String, Refusal> refused;
    private final TreeSet<String> claims;

    private LoraLayout(boolean enabled, int maxLoras, int maxLoraRank, Map<String, ExpertModel> admitted,
                       Map<String, Refusal> refused, TreeSet<String> claims) {
        this.enabled = enabled;
        this.maxLoras = maxLoras;
        this.maxLoraRank = maxLoraRank;
        this.admitted = admitted;
        this.refused = refused;
        this.claims = claims;
    }

    /** A base without adapters and without spec.engine.lora: nothing changes in its Deployment. */
    public static LoraLayout none() {
        return new LoraLayout(false, 0, 0, Map.of(), Map.of(), new TreeSet<>());
    }

    /** @param adapters every ExpertModel whose spec.adapter.base names {@code base} (any order; deleted ones skipped) */
    public static LoraLayout of(ExpertModel base, List<ExpertModel> adapters) {
        LoraLimits limits = base.getSpec() == null || base.getSpec().engine == null ? null : base.getSpec().engine.lora;
        List<ExpertModel> live = adapters.stream()
                .filter(a -> a.getMetadata().getDeletionTimestamp() == null && a.isAdapter())
                .sorted(Comparator.comparing((ExpertModel a) -> String.valueOf(a.getMetadata().getCreationTimestamp()))
                        .thenComparing(a -> a.getMetadata().getName()))
                .toList();
        if (live.isEmpty() && limits == null) {
            return none();
        }
        Map<String, ExpertModel> admitted = new LinkedHashMap<>();
        Map<String, Refusal> refused = new LinkedHashMap<>();
        String baseName = base.getMetadata().getName();
        Integer fixedRank = limits == null ? null : limits.maxLoraRank;
        Integer fixedCount = limits == null ? null : limits.maxLoras;
        for (ExpertModel a : live) {
            int rank = a.getSpec().adapter.rankOrDefault();
            if (fixedRank != null && rank > fixedRank) {
                refused.put(a.getMetadata().getName(), new Refusal("RankTooLarge", "spec.adapter.rank " + rank
                        + " exceeds the base's limit: ExpertModel " + baseName + " spec.engine.lora.maxLoraRank is "
                        + fixedRank));
            } else if (fixedCount != null && admitted.size() >= fixedCount) {
                refused.put(a.getMetadata().getName(), new Refusal("TooManyAdapters", "ExpertModel " + baseName
                        + " serves at most " + fixedCount + " adapters (spec.engine.lora.maxLoras, vLLM --max-loras) "
                        + "and older adapters fill them; raise the limit or delete an adapter"));
            } else {
                admitted.put(a.getMetadata().getName(), a);
            }
        }
        int maxRank = admitted.values().stream().mapToInt(a -> a.getSpec().adapter.rankOrDefault()).max()
                .orElse(AdapterSource.DEFAULT_RANK);
        int rank = fixedRank != null ? fixedRank : vllmRank(maxRank);
        int count = fixedCount != null ? fixedCount : derivedMaxLoras(admitted.size());
        TreeSet<String> claims = new TreeSet<>();
        admitted.values().forEach(a -> pvc(a.getSpec().adapter.uri).ifPresent(p -> claims.add(p[0])));
        return new LoraLayout(true, count, rank, admitted, refused, claims);
    }

    static int derivedMaxLoras(int adapters) {
        int n = MIN_DERIVED_MAX_LORAS;
        while (n < adapters) {
            n *= 2;
        }
        return n;
    }

    /** The smallest rank vLLM accepts that is at least {@code rank}. */
    static int vllmRank(int rank) {
        for (int r : VLLM_RANKS) {
            if (r >= rank) {
                return r;
            }
        }
        return VLLM_RANKS[VLLM_RANKS.length - 1];
    }

    public boolean enabled() {
        return enabled;
    }

    public int maxLoras() {
        return maxLoras;
    }

    public int maxLoraRank() {
        return maxLoraRank;
    }

    /** Adapters the base serves, oldest first. */
    public Map<String, ExpertModel> admitted() {
        return admitted;
    }

    public Optional<Refusal> refusal(String adapter) {
        return Optional.ofNullable(refused.get(adapter));
    }

    /** vLLM arguments added to the base's container. */
    public List<String> args() {
        if (!enabled) {
            return List.of();
        }
        return List.of("--enable-lora", "--max-loras", Integer.toString(maxLoras), "--max-cpu-loras",
                Integer.toString(maxLoras), "--max-lora-rank", Integer.toString(maxLoraRank));
    }

    /** Environment added to the base's container: the runtime load/unload endpoints. */
    public List<EnvVar> env() {
        return enabled ? List.of(new EnvVar(RUNTIME_UPDATING_ENV, "True", null)) : List.of();
    }

    public List<Volume> volumes() {
        List<Volume> out = new ArrayList<>();
        for (String claim : claims) {
            out.add(new VolumeBuilder().withName(volumeName(claim)).withNewPersistentVolumeClaim()
                    .withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim().build());
        }
        return out;
    }

    public List<VolumeMount> mounts() {
        List<VolumeMount> out = new ArrayList<>();
        for (String claim : claims) {
            out.add(new VolumeMountBuilder().withName(volumeName(claim)).withMountPath(ADAPTERS_MOUNT + "/" + claim)
                    .withReadOnly(true).build());
        }
        return out;
    }

    /** What vLLM's load_lora_adapter gets as lora_path: a Hugging Face repo id, or the path on the mounted claim. */
    public static String loraPath(AdapterSource adapter) {
        Optional<String[]> pvc = pvc(adapter.uri);
        if (pvc.isPresent()) {
            return ADAPTERS_MOUNT + "/" + pvc.get()[0] + pvc.get()[1];
        }
        return adapter.uri.substring("hf://".length());
    }

    /** claim and path ("" or "/...") of a pvc:// URI. */
    private static Optional<String[]> pvc(String uri) {
        if (uri == null || !uri.startsWith("pvc://")) {
            return Optional.empty();
        }
        String rest = uri.substring("pvc://".length());
        int slash = rest.indexOf('/');
        return Optional.of(slash < 0 ? new String[]{rest, ""} : new String[]{rest.substring(0, slash),
                rest.substring(slash)});
    }

    private static String volumeName(String claim) {
        String name = "adapter-" + claim.replace('.', '-');
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
    }
}
