package dev.switchboard.api;

import dev.switchboard.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/** Applies the committed CRDs (the copy users install) and waits until they are Established. */
final class CrdInstaller {
    static final List<String> NAMES = Crds.NAMES;

    private CrdInstaller() {
    }

    static void install(KubernetesClient client) {
        Crds.install(client);
    }
}
