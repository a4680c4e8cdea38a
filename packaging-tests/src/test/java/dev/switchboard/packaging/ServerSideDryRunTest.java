package dev.switchboard.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object the chart renders (CRDs included) is admitted by a real API server: server-side dry-run validates
 * against the OpenAPI schemas, RBAC rules and admission without persisting anything.
 */
class ServerSideDryRunTest {

    @BeforeAll
    static void prepare() {
        Cluster.namespaces("dry-run", "team-a", "team-b");
        Cluster.prometheusOperatorCrds();
    }

    @ParameterizedTest(name = "value set: {0}")
    @ValueSource(strings = {
            "",
            "metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,metrics.grafanaDashboard.enabled=true,metrics.routerServiceMonitor.enabled=true",
            "watchNamespaces={team-a,team-b},imagePullSecrets={regcred},image.tag=1.2.3,defaults.routerImage=r.local/router:1",
            "leaderElection.enabled=false,replicaCount=3,defaults.serviceMonitors=false",
            "watchNamespaces={team-a,team-b},networkPolicy.enabled=true,expertApiKeys.enabled=true,"
                    + "networkPolicy.extraIngress[0].from[0].podSelector.matchLabels.app=batch"})
    void everyRenderedObjectPassesServerSideDryRun(String sets) {
        List<Object> argv = new ArrayList<>(List.of(Tools.helm(), "template", "dry", Tools.CHART, "--namespace",
                "dry-run", "--kube-version", Tools.KUBE_VERSION, "--include-crds"));
        if (!sets.isEmpty()) {
            argv.add("--set");
            argv.add(sets);
        }
        String rendered = Command.of(argv.toArray()).ok();
        int objects = Manifests.parse(rendered).objects().size();
        String out = Tools.serverDryRun(rendered);
        System.out.println("dry-run (" + (sets.isEmpty() ? "defaults" : sets) + "):\n" + out);
        assertThat(out.lines().filter(l -> l.contains("(server dry run)")).count()).isEqualTo(objects);
    }
}
