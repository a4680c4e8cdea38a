package dev.switchboard.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs the committed Switchboard CRDs (the copy users apply) and waits until a CRD is Established. */
public final class Crds {
    public static final List<String> NAMES = List.of("expertmodels.switchboard.dev", "routingpolicies.switchboard.dev");

    private Crds() {
    }

    /** Server-side applies deploy/crds and waits until both are Established. */
    public static void install(KubernetesClient client) {
        for (String name : NAMES) {
            try (InputStream in = Files.newInputStream(ProjectPaths.root().resolve("deploy/crds/" + name + ".yaml"))) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                client.resource(crd).forceConflicts().serverSideApply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitEstablished(client, name);
        }
    }

    /** Waits up to 30 s; a CRD just created has no status conditions yet. */
    public static void awaitEstablished(KubernetesClient client, String name) {
        client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(Crds::established,
                30, TimeUnit.SECONDS);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
