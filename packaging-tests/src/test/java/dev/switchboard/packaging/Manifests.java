package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rendered multi-document YAML as JSON trees, looked up by kind and name. */
record Manifests(List<JsonNode> objects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Manifests parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && node.has("kind")) {
                    objects.add(node);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return new Manifests(objects);
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.at("/metadata/name").asText())).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in "
                + objects.stream().map(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText()).toList()));
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.path("kind").asText()).toList();
    }

    /** The value of an env var of the first container of a Deployment, or null. */
    static String env(JsonNode deployment, String name) {
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
            if (name.equals(env.path("name").asText())) {
                return env.has("value") ? env.path("value").asText() : "<valueFrom>";
            }
        }
        return null;
    }
}
