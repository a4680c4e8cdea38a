package dev.switchboard.packaging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** helm lint for several value sets, and values.schema.json rejecting wrong values with the field's name. */
class HelmLintAndSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,metrics.grafanaDashboard.enabled=true,metrics.routerServiceMonitor.enabled=true",
            "watchNamespaces={team-a,team-b},imagePullSecrets={regcred},defaults.vllmImage=registry.local/vllm:1",
            "leaderElection.enabled=false,serviceAccount.create=false,serviceAccount.name=existing,rbac.create=false"})
    void lintIsClean(String sets) {
        List<Object> argv = new ArrayList<>(List.of(Tools.helm(), "lint", "--strict", Tools.CHART,
                "--kube-version", Tools.KUBE_VERSION));
        if (!sets.isEmpty()) {
            argv.add("--set");
            argv.add(sets);
        }
        String out = Command.of(argv.toArray()).ok();
        System.out.println("helm lint --strict " + (sets.isEmpty() ? "(defaults)" : "--set " + sets) + ":\n" + out);
        assertThat(out).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]", "[ERROR]");
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(delimiter = '|', value = {
            "replicaCount=two                         | /replicaCount",
            "leaderElection.enabled=maybe             | /leaderElection/enabled",
            "watchNamespaces=team-a                   | /watchNamespaces",
            "watchNamespaces={Team_A}                 | /watchNamespaces/0",
            "image.pullPolicy=Sometimes               | /image/pullPolicy",
            "defaults.startupProbeBudget=soon         | /defaults/startupProbeBudget",
            "defaults.serviceMonitors=sometimes       | /defaults/serviceMonitors",
            "defaults.gpuResource=amd.com/gpu         | gpuResource",
            "service.port=70000                       | /service/port",
            "replicas=2                               | replicas",
            "metrics.prometheusRule.enabled=yes       | /metrics/prometheusRule/enabled"})
    void schemaRejectsWrongValuesNamingTheField(String set, String field) {
        Command.Result result = Tools.template("switchboard", "switchboard-system", set).run();
        assertThat(result.exitCode()).as("helm template --set %s", set).isNotZero();
        assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(field);
    }
}
