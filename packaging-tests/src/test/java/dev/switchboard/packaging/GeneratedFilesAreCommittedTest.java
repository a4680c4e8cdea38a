package dev.switchboard.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files generated from other sources are committed and current: the CRD reference (from the CRD YAML) and the
 * kustomize manifests (from the Helm chart). Refresh with hack/update-crd-reference.sh / hack/render-manifests.sh.
 */
class GeneratedFilesAreCommittedTest {

    @Test
    void crdReferenceMatchesTheCrds() throws Exception {
        Path root = Tools.projectRoot();
        String generated = new CrdReferenceGenerator().generate(root);
        Path committed = root.resolve(CrdReferenceGenerator.OUTPUT);
        if (Boolean.getBoolean("switchboard.updateDocs")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as("%s is stale; run hack/update-crd-reference.sh", CrdReferenceGenerator.OUTPUT)
                .isEqualTo(generated);
        assertThat(generated).contains("## ExpertModel", "## RoutingPolicy", "`spec.model.uri`",
                "`status.conditions[].type`");
    }

    @Test
    void kustomizeManifestsMatchTheChart(@TempDir Path out) throws Exception {
        Command.of("bash", "hack/render-manifests.sh", out).ok();
        for (String file : new String[] {"deploy/base/operator.yaml", "deploy/overlays/monitoring/monitoring.yaml"}) {
            assertThat(Files.readString(Tools.projectRoot().resolve(file)))
                    .as("%s is stale; run hack/render-manifests.sh", file)
                    .isEqualTo(Files.readString(out.resolve(file)));
        }
    }
}
