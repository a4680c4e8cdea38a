package dev.switchboard.packaging;

import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashSet;
import java.util.Set;

/** Idempotent set-up on the shared real kube-apiserver: namespaces and CRDs some dry-runs need to exist. */
final class Cluster {
    private static final Set<String> DONE = new HashSet<>();

    private Cluster() {
    }

    static KubernetesClient client() {
        return KubeApiServer.shared().client();
    }

    static synchronized void namespaces(String... names) {
        for (String name : names) {
            if (DONE.add("ns/" + name) && client().namespaces().withName(name).get() == null) {
                client().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                        .create();
            }
        }
    }

    /** The committed Switchboard CRDs, really applied (examples can only be dry-run against served kinds). */
    static synchronized void switchboardCrds() {
        if (DONE.add("crds/switchboard")) {
            establish("deploy/crds");
        }
    }

    /**
     * Stand-ins for the Prometheus Operator's ServiceMonitor and PrometheusRule CRDs (test resource): same group,
     * kinds and scope, with a schema that preserves unknown fields. They let the API server admit our monitoring
     * objects; the real CRDs' schemas are not vendored here.
     */
    static synchronized void prometheusOperatorCrds() {
        if (DONE.add("crds/monitoring")) {
            establish("packaging-tests/src/test/resources/prometheus-operator-crds");
        }
    }

    private static void establish(String dir) {
        String crds = Command.of(Tools.kubectl(), "kustomize", dir).ok();
        Tools.kubectlOnCluster("apply", "--server-side", "--force-conflicts", "--field-manager=packaging-tests",
                "-f", "-").withStdin(crds).ok();
        for (var crd : Manifests.parse(crds).ofKind("CustomResourceDefinition")) {
            Tools.kubectlOnCluster("wait", "--for=condition=Established", "--timeout=30s",
                    "crd/" + crd.at("/metadata/name").asText()).ok();
        }
    }
}
