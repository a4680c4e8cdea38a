package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every alert has a runbook, a unit test and consistent annotations; the docs the README points to exist. */
class DocsTest {
    private static final Path ROOT = Tools.projectRoot();

    @Test
    void everyAlertHasARunbookAndAPromtoolTest() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("helm/switchboard/files/prometheus-rules.yaml").toFile());
        String tests = Files.readString(ROOT.resolve("deploy/monitoring/prometheus-rules.test.yaml"));
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        int alerts = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                alerts++;
                Path runbook = ROOT.resolve("docs/runbooks/" + alert + ".md");
                assertThat(runbook).as("runbook of %s", alert).exists();
                assertThat(Files.readString(runbook)).startsWith("# " + alert).contains("## Diagnosis", "## Mitigation");
                assertThat(rule.at("/annotations/runbook_url").asText()).endsWith("docs/runbooks/" + alert + ".md");
                assertThat(rule.at("/labels/severity").asText()).isIn("warning", "critical");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
                assertThat(tests).as("promtool test for %s", alert).contains("alertname: " + alert);
                assertThat(operations).as("docs/operations.md lists %s", alert).contains(alert);
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(8);
    }

    @Test
    void quickstartMatchesTheReadmeCommandsAndTheDocsExist() throws Exception {
        for (String doc : new String[] {"architecture.md", "crd-reference.md", "routing-strategies.md",
                "operations.md", "quickstart.md"}) {
            assertThat(ROOT.resolve("docs/" + doc)).exists();
        }
        assertThat(Files.readString(ROOT.resolve("docs/quickstart.md"))).contains("./hack/demo.sh", "./hack/test.sh");
        assertThat(Files.readString(ROOT.resolve("docs/operations.md")))
                .contains("health.lua", "healthChecks", "observedGeneration", "helm upgrade", "kubectl apply --server-side -k deploy/crds");
    }

    @Test
    void quickstartTakesTheDemoToAClusterWithGpus() throws Exception {
        String quickstart = Files.readString(ROOT.resolve("docs/quickstart.md"));
        JsonNode coe = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("deploy/examples/policies/category-policy.yaml").toFile());
        String router = coe.at("/metadata/name").asText() + "-router";   // the Service the operator creates
        String model = coe.at("/spec/modelName").asText();
        assertThat(quickstart).contains("hack/build-images.sh --push", "--set image.repository=",
                "--set defaults.routerImage=", "kubectl apply -n llm -k deploy/examples",
                "kubectl wait --for=condition=Ready", "kubectl port-forward -n llm svc/" + router + " 8080:8080",
                "from openai import OpenAI", "base_url=\"http://localhost:8080/v1\"", "model=\"" + model + "\"",
                "curl -s -i http://localhost:8080/v1/chat/completions", "\"model\":\"" + model + "\"");
        assertThat(Files.readString(ROOT.resolve("README.md")))
                .contains("## After the demo", "docs/quickstart.md#3-on-a-real-cluster-with-gpus");
        assertThat(Files.exists(ROOT.resolve("hack/build-images.sh"))).isTrue();
    }
}
