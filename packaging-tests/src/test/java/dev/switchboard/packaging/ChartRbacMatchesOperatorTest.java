package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart grants the operator exactly the permissions of operator/src/main/kubernetes/clusterrole.yaml, the
 * role the operator's own tests run it under. Compared as (group, resource, verb) triples: the chart splits
 * the Lease permissions into a Role in its own namespace.
 */
class ChartRbacMatchesOperatorTest {
    private static final Path OPERATOR_ROLE = Tools.projectRoot().resolve("operator/src/main/kubernetes/clusterrole.yaml");

    @Test
    void samePermissionsAsTheOperatorsTestedRole() throws Exception {
        Assumptions.assumeTrue(Files.exists(OPERATOR_ROLE), OPERATOR_ROLE + " not in this checkout");
        Set<String> operator = triples(new ObjectMapper(new YAMLFactory()).readTree(OPERATOR_ROLE.toFile()).path("rules"));

        // the operator's tested role holds every optional permission (ServiceMonitors); expert API keys add none
        Manifests chart = HelmTemplateTest.render("defaults.serviceMonitors=true", "expertApiKeys.enabled=true");
        Set<String> granted = triples(chart.get("ClusterRole", "switchboard").path("rules"));
        granted.addAll(triples(chart.get("Role", "switchboard-leader-election").path("rules")));

        assertThat(granted).isEqualTo(operator);
    }

    static Set<String> triples(JsonNode rules) {
        Set<String> out = new TreeSet<>();
        for (JsonNode rule : rules) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        out.add(group.asText() + "|" + resource.asText() + "|" + verb.asText());
                    }
                }
            }
        }
        return out;
    }
}
