package dev.switchboard.api;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD YAML in the Helm chart and in deploy/ must be exactly what the API classes generate (printer columns put
 * in their annotation order, see {@link PrinterColumnOrder}).
 * Run with -Dswitchboard.updateCrds=true (or hack/update-crds.sh) to refresh the committed copies.
 */
class GeneratedCrdsAreCommittedTest {
    private static final Map<String, Class<?>> CRDS = Map.of("expertmodels.switchboard.dev", ExpertModel.class,
            "routingpolicies.switchboard.dev", RoutingPolicy.class);
    private static final List<String> COPIES = List.of("helm/switchboard/crds", "deploy/crds");

    @Test
    void committedCopiesMatchGeneratedCrds() throws IOException {
        boolean update = Boolean.getBoolean("switchboard.updateCrds");
        Path root = ProjectPaths.root();
        for (var entry : CRDS.entrySet()) {
            String crd = entry.getKey();
            Path generated = root.resolve("crds/target/classes/META-INF/fabric8/" + crd + "-v1.yml");
            assertThat(generated).as("CRD generated at build time").exists();
            // the generator's output with one change: printer columns in the order they are annotated
            String expected = "# Generated from the classes in crds/ - do not edit; run hack/update-crds.sh\n"
                    + PrinterColumnOrder.declared(Files.readString(generated), entry.getValue());
            for (String dir : COPIES) {
                Path committed = root.resolve(dir).resolve(crd + ".yaml");
                if (update) {
                    Files.createDirectories(committed.getParent());
                    Files.writeString(committed, expected);
                }
                assertThat(committed).as("%s is committed; run hack/update-crds.sh", committed).exists();
                assertThat(Files.readString(committed))
                        .as("%s differs from what the API classes generate; run hack/update-crds.sh", committed)
                        .isEqualTo(expected);
            }
        }
    }
}
