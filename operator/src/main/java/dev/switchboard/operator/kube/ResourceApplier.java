package dev.switchboard.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Server-side apply under one field manager: the API server merges, keeps fields other managers own
 * (e.g. an HPA's replicas annotations) and drops fields the operator stopped setting. Applying an unchanged
 * object is a no-op on the server (no new resourceVersion, no rollout).
 */
public final class ResourceApplier {
    public static final String FIELD_MANAGER = "switchboard-operator";

    private ResourceApplier() {
    }

    public static <T extends HasMetadata> T apply(KubernetesClient client, T desired) {
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    public static void delete(KubernetesClient client, HasMetadata existing) {
        client.resource(existing).delete();
    }
}
