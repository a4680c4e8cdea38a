package dev.switchboard.router.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources of standalone mode, read from the same YAML manifests users would {@code kubectl apply}
 * (multi-document files): ExpertModels, RoutingPolicies, Secrets (API keys) and ConfigMaps (learned artifacts).
 * Other kinds are ignored.
 */
public record ManifestSet(List<ExpertModel> experts, List<RoutingPolicy> policies, List<Secret> secrets,
                          List<ConfigMap> configMaps) {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public static ManifestSet empty() {
        return new ManifestSet(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Adds every document of one YAML text; {@code origin} names the file in error messages. */
    public void addYaml(String yaml, String origin) {
        int index = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("kind").asText("");
                String where = origin + " document " + index + " (" + (kind.isEmpty() ? "no kind" : kind) + ")";
                try {
                    switch (kind) {
                        case "ExpertModel" -> experts.add(named(SERIALIZATION.convertValue(doc, ExpertModel.class),
                                where));
                        case "RoutingPolicy" -> policies.add(named(SERIALIZATION.convertValue(doc,
                                RoutingPolicy.class), where));
                        case "Secret" -> secrets.add(named(SERIALIZATION.convertValue(doc, Secret.class), where));
                        case "ConfigMap" -> configMaps.add(named(SERIALIZATION.convertValue(doc, ConfigMap.class),
                                where));
                        default -> {
                            // Services, Namespaces and the like are irrelevant to routing.
                        }
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + rootMessage(e), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(origin)) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(origin + ": not valid YAML: " + rootMessage(e), e);
        }
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(T resource, String where) {
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
            throw new IllegalArgumentException(where + ": metadata.name is missing");
        }
        return resource;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        String flat = m.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
