package dev.switchboard.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testing.Crds;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Set;

/**
 * The committed CRDs with the checks the API server makes at admission removed (CEL rules, patterns, required
 * fields, length limits): the API server then stores what a cluster with an older or hand-edited CRD would, so
 * tests see what the operator's own checks do with it. {@link Crds#install} puts the real ones back.
 */
final class AdmissionFreeCrds {
    private static final Set<String> CHECKS = Set.of("x-kubernetes-validations", "pattern", "required", "maxLength",
            "minLength", "maxItems", "minItems", "maxProperties");

    private AdmissionFreeCrds() {
    }

    static void install(KubernetesClient client) {
        for (String name : Crds.NAMES) {
            try {
                JsonNode crd = Serialization.unmarshal(Files.readString(ProjectPaths.root()
                        .resolve("deploy/crds/" + name + ".yaml")), JsonNode.class);
                for (JsonNode version : crd.path("spec").path("versions")) {
                    strip(version.path("schema").path("openAPIV3Schema"));
                }
                client.resource(Serialization.jsonMapper().convertValue(crd, CustomResourceDefinition.class))
                        .forceConflicts().serverSideApply();
                Crds.awaitEstablished(client, name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void strip(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            object.remove(CHECKS);
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                strip(it.next());
            }
        } else if (schema.isArray()) {
            schema.forEach(AdmissionFreeCrds::strip);
        }
    }
}
