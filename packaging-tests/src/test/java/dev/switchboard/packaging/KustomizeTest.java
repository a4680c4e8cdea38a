package dev.switchboard.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The kustomize base and overlays render with the kubectl-embedded kustomize and pass server-side dry-run. */
class KustomizeTest {

    @BeforeAll
    static void prepare() {
        // Dry-run does not create the Namespace objects, so namespaced objects need them to exist for real.
        Cluster.namespaces("switchboard-system", "llm");
        Cluster.prometheusOperatorCrds();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/monitoring", "deploy/overlays/namespaced",
            "deploy/overlays/ha", "deploy/crds"})
    void rendersAndDryRuns(String dir) {
        String rendered = Command.of(Tools.kubectl(), "kustomize", dir).ok();
        Manifests m = Manifests.parse(rendered);
        assertThat(m.objects()).isNotEmpty();
        String out = Tools.serverDryRun(rendered);
        System.out.println("kustomize " + dir + " -> dry-run:\n" + out);
        assertThat(out.lines().filter(l -> l.contains("(server dry run)")).count()).isEqualTo(m.objects().size());

        if (!dir.equals("deploy/crds")) {
            assertThat(m.ofKind("CustomResourceDefinition")).hasSize(2);
            assertThat(m.get("Deployment", "switchboard").at("/metadata/namespace").asText())
                    .isEqualTo("switchboard-system");
            assertThat(m.ofKind("ValidatingAdmissionPolicy")).as("the trust boundary at admission").hasSize(2);
        }
        switch (dir) {
            case "deploy/overlays/monitoring" -> {
                assertThat(m.get("PrometheusRule", "switchboard").at("/metadata/labels/release").asText())
                        .isEqualTo("kube-prometheus-stack");
                assertThat(m.get("ServiceMonitor", "switchboard")).isNotNull();
                assertThat(m.get("ServiceMonitor", "switchboard-routers").at("/metadata/labels/release").asText())
                        .isEqualTo("kube-prometheus-stack");
            }
            case "deploy/overlays/namespaced" -> {
                assertThat(m.find("ClusterRoleBinding", "switchboard")).isEmpty();
                assertThat(m.get("RoleBinding", "switchboard").at("/metadata/namespace").asText()).isEqualTo("llm");
                assertThat(Manifests.env(m.get("Deployment", "switchboard"), "QUARKUS_OPERATOR_SDK_NAMESPACES"))
                        .isEqualTo("llm");
                assertThat(m.ofKind("ValidatingAdmissionPolicyBinding")).hasSize(2).allSatisfy(b -> assertThat(b
                        .at("/spec/matchResources/namespaceSelector/matchExpressions/0/values").toString())
                        .isEqualTo("[\"llm\"]"));
            }
            case "deploy/overlays/ha" -> {
                assertThat(m.get("Deployment", "switchboard").at("/spec/replicas").asInt()).isEqualTo(2);
                assertThat(m.get("PodDisruptionBudget", "switchboard")).isNotNull();
            }
            default -> {
            }
        }
    }
}
