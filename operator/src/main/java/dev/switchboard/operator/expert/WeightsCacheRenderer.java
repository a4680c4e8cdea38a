package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.WeightsCache;
import dev.switchboard.operator.kube.Owners;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;
import java.util.Optional;

/**
 * spec.cache → PersistentVolumeClaim "&lt;expert&gt;-cache" for downloaded weights. ReadWriteOnce: replicas of
 * one expert on different nodes need a storage class that allows sharing (or no cache).
 */
public final class WeightsCacheRenderer {
    private WeightsCacheRenderer() {
    }

    public static Optional<PersistentVolumeClaim> render(ExpertModel expert) {
        WeightsCache cache = expert.getSpec() == null ? null : expert.getSpec().cache;
        if (cache == null || expert.isExternal()) {
            return Optional.empty();
        }
        PersistentVolumeClaimBuilder pvc = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(ExpertDeploymentRenderer.cacheClaimName(expert.getMetadata().getName()))
                .withNamespace(expert.getMetadata().getNamespace())
                .withLabels(ExpertLabels.of(expert))
                .withOwnerReferences(Owners.controllerRef(expert))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", new Quantity(cache.size))).endResources()
                .endSpec();
        if (cache.storageClassName != null && !cache.storageClassName.isBlank()) {
            pvc.editSpec().withStorageClassName(cache.storageClassName).endSpec();
        }
        return Optional.of(pvc.build());
    }
}
