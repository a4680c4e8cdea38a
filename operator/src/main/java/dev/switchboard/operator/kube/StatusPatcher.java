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

    /** Removes {@code field} from status (a merge patch with null): fields left out of {@link #patch} are kept. */
    public static void remove(KubernetesClient client, HasMetadata resource, String field) {
        java.util.Map<String, Object> status = new java.util.HashMap<>();
        status.put(field, null);
        java.util.Map<String, Object> body = new java.util.HashMap<>();
        body.put("status", status);
        try {
            send(client, resource, Serialization.jsonMapper().writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
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
