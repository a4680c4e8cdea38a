package dev.switchboard.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every manifest under deploy/examples is accepted by the API server with the committed CRDs installed. */
class ExamplesDryRunTest {
    private static final String NS = "examples";

    @BeforeAll
    static void prepare() {
        Cluster.switchboardCrds();
        Cluster.namespaces(NS);
    }

    @Test
    void everyExampleFileDryRuns() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Tools.projectRoot().resolve("deploy/examples"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(11);
        for (Path file : files) {
            String out = Tools.kubectlOnCluster("apply", "--dry-run=server", "-n", NS, "-f", file).ok();
            System.out.println(Tools.projectRoot().relativize(file) + ": " + out.trim());
            assertThat(out).as(file.toString()).contains("(server dry run)");
        }
    }

    @Test
    void theExampleKustomizationHoldsEveryExample() {
        String rendered = Command.of(Tools.kubectl(), "kustomize", "deploy/examples").ok();
        Manifests m = Manifests.parse(rendered);
        assertThat(m.ofKind("ExpertModel")).extracting(o -> o.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("math", "code", "medical", "legal", "generalist", "frontier");
        assertThat(m.ofKind("RoutingPolicy")).extracting(o -> o.at("/spec/strategy/type").asText())
                .contains("category", "semantic", "cluster", "costAware");
        assertThat(m.ofKind("Secret")).as("no Secret placeholders in the examples").isEmpty();
        String out = Tools.kubectlOnCluster("apply", "--server-side", "--dry-run=server", "-n", NS, "-f", "-")
                .withStdin(rendered).ok();
        assertThat(out.lines().filter(l -> l.contains("(server dry run)")).count()).isEqualTo(m.objects().size());
    }
}
