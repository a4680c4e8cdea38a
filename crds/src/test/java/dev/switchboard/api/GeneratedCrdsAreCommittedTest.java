package dev.switchboard.api;

import dev.switchboard.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD YAML in the Helm chart and in deploy/ must be exactly what the API classes generate.
 * Run with -Dswitchboard.updateCrds=true (or hack/update-crds.sh) to refresh the committed copies.
 */
class GeneratedCrdsAreCommittedTest {
    private static final List<String> CRDS = List.of("expertmodels.switchboard.dev", "routingpolicies.switchboard.dev");
    private static final List<String> COPIES = List.of("helm/switchboard/crds", "deploy/crds");

    @Test
    void committedCopiesMatchGeneratedCrds() throws IOException {
        boolean update = Boolean.getBoolean("switchboard.updateCrds");
        Path root = ProjectPaths.root();
        for (String crd : CRDS) {
            Path generated = root.resolve("crds/target/classes/META-INF/fabric8/" + crd + "-v1.yml");
            assertThat(generated).as("CRD generated at build time").exists();
            String expected = "# Generated from the classes in crds/ - do not edit; run hack/update-crds.sh\n"
                    + Files.readString(generated);
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
