package dev.switchboard.packaging;

import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.KubeBinaries;
import dev.switchboard.testing.ProjectPaths;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The helm and kubectl binaries hack/k8s-binaries.sh provides, and the usual invocations of them. */
final class Tools {
    static final String CHART = "helm/switchboard";
    /** helm template has no cluster to ask; render for the version the test harness runs. */
    static final String KUBE_VERSION = KubeBinaries.K8S_VERSION;

    private Tools() {
    }

    static Path projectRoot() {
        return ProjectPaths.root();
    }

    static String helm() {
        return KubeBinaries.locate("helm").resolve("helm").toString();
    }

    static String kubectl() {
        return KubeBinaries.locate("kubectl").resolve("kubectl").toString();
    }

    /** helm template of the chart with --set pairs (key=value). */
    static Command template(String release, String namespace, String... sets) {
        List<Object> argv = new ArrayList<>(List.of(helm(), "template", release, CHART, "--namespace", namespace,
                "--kube-version", KUBE_VERSION));
        for (String set : sets) {
            argv.add("--set");
            argv.add(set);
        }
        return Command.of(argv.toArray());
    }

    static Command helmOnCluster(Object... args) {
        List<Object> argv = new ArrayList<>(List.of(helm(), "--kubeconfig", kubeconfig()));
        argv.addAll(List.of(args));
        return Command.of(argv.toArray());
    }

    static Command kubectlOnCluster(Object... args) {
        List<Object> argv = new ArrayList<>(List.of(kubectl(), "--kubeconfig", kubeconfig()));
        argv.addAll(List.of(args));
        return Command.of(argv.toArray());
    }

    /** Server-side dry-run of a multi-document YAML: the API server validates and admits without persisting. */
    static String serverDryRun(String yaml) {
        return kubectlOnCluster("apply", "--server-side", "--dry-run=server", "--field-manager=packaging-tests",
                "-f", "-").withStdin(yaml).ok();
    }

    static String kubeconfig() {
        return KubeApiServer.shared().kubeconfig().toString();
    }
}
