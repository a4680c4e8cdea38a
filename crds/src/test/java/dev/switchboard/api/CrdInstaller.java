package dev.switchboard.api;

import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Applies the committed CRDs (the copy users install) and waits until they are Established. */
final class CrdInstaller {
    static final List<String> NAMES = List.of("expertmodels.switchboard.dev", "routingpolicies.switchboard.dev");

    private CrdInstaller() {
    }

    static void install(KubernetesClient client) throws IOException {
        for (String name : NAMES) {
            try (InputStream in = Files.newInputStream(ProjectPaths.root().resolve("deploy/crds/" + name + ".yaml"))) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                client.resource(crd).forceConflicts().serverSideApply();
            }
            client.apiextensions().v1().customResourceDefinitions().withName(name)
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions()
                            .stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            30, TimeUnit.SECONDS);
        }
    }
}
