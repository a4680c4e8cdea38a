package dev.switchboard.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/**
 * JSON merge patch on the status subresource. The status classes serialise NON_NULL, so a field the
 * operator leaves null (RoutingPolicy status.routingTable, written by the router) is never touched.
 */
public final class StatusPatcher {
    private StatusPatcher() {
    }

    /** Patches status; a resource deleted meanwhile is not an error (there is nothing left to report on). */
    public static void patch(KubernetesClient client, HasMetadata resource, Object status) {
        String json = Serialization.asJson(Map.of("status", status));
        try {
            send(client, resource, json);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static void send(KubernetesClient client, HasMetadata resource, String json) {
        client.resources(resource.getClass())
                .inNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
