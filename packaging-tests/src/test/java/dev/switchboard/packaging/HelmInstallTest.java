package dev.switchboard.packaging;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm install / upgrade / uninstall against the real kube-apiserver. There is no kubelet, so the operator pod
 * never runs: the test checks what Helm creates, changes and removes, and does not --wait.
 */
class HelmInstallTest {
    private static final String NS = "helm-install";
    private static final String RELEASE = "sb";

    @Test
    void installUpgradeUninstall() {
        KubernetesClient client = Cluster.client();

        String install = Tools.helmOnCluster("install", RELEASE, Tools.CHART, "--namespace", NS, "--create-namespace",
                "--set", "metrics.prometheusRule.enabled=false", "--timeout", "40s").ok();
        System.out.println("helm install:\n" + install);
        assertThat(install).contains("STATUS: deployed");
        assertThat(client.apiextensions().v1().customResourceDefinitions()
                .withName("expertmodels.switchboard.dev").get()).as("CRDs from crds/ are installed").isNotNull();
        Deployment deployment = client.apps().deployments().inNamespace(NS).withName("sb-switchboard").get();
        assertThat(deployment).isNotNull();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(client.rbac().clusterRoles().withName("sb-switchboard").get()).isNotNull();
        assertThat(client.rbac().clusterRoleBindings().withName("sb-switchboard").get().getSubjects().get(0)
                .getNamespace()).isEqualTo(NS);

        String upgrade = Tools.helmOnCluster("upgrade", RELEASE, Tools.CHART, "--namespace", NS,
                "--set", "replicaCount=2", "--set", "defaults.vllmImage=vllm/vllm-openai:v0.11.1",
                "--timeout", "40s").ok();
        System.out.println("helm upgrade:\n" + upgrade);
        assertThat(upgrade).contains("REVISION: 2");
        deployment = client.apps().deployments().inNamespace(NS).withName("sb-switchboard").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("SWITCHBOARD_OPERATOR_VLLM_IMAGE");
                    assertThat(env.getValue()).isEqualTo("vllm/vllm-openai:v0.11.1");
                });
        assertThat(Tools.helmOnCluster("history", RELEASE, "--namespace", NS).ok()).contains("Upgrade complete");

        String uninstall = Tools.helmOnCluster("uninstall", RELEASE, "--namespace", NS, "--timeout", "40s").ok();
        System.out.println("helm uninstall:\n" + uninstall);
        assertThat(client.apps().deployments().inNamespace(NS).withName("sb-switchboard").get()).isNull();
        assertThat(client.rbac().clusterRoles().withName("sb-switchboard").get()).isNull();
        assertThat(client.rbac().clusterRoleBindings().withName("sb-switchboard").get()).isNull();
        // Helm never deletes CRDs (it would delete every ExpertModel with them)
        assertThat(client.apiextensions().v1().customResourceDefinitions()
                .withName("routingpolicies.switchboard.dev").get()).isNotNull();
    }

    @Test
    void installWithMonitoringCreatesThePrometheusOperatorObjects() {
        Cluster.prometheusOperatorCrds();
        String ns = "helm-monitoring";
        Tools.helmOnCluster("install", "mon", Tools.CHART, "--namespace", ns, "--create-namespace", "--skip-crds",
                "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.prometheusRule.enabled=true",
                "--set", "metrics.grafanaDashboard.enabled=true", "--set", "metrics.routerServiceMonitor.enabled=true",
                "--timeout", "40s").ok();
        try {
            String objects = Tools.kubectlOnCluster("get", "servicemonitors.monitoring.coreos.com,"
                    + "prometheusrules.monitoring.coreos.com,configmaps", "-n", ns, "-o", "name").ok();
            assertThat(objects).contains("servicemonitor.monitoring.coreos.com/mon-switchboard",
                    "servicemonitor.monitoring.coreos.com/mon-switchboard-routers",
                    "prometheusrule.monitoring.coreos.com/mon-switchboard", "configmap/mon-switchboard-dashboard");
            String alerts = Tools.kubectlOnCluster("get", "prometheusrules.monitoring.coreos.com", "mon-switchboard",
                    "-n", ns, "-o", "jsonpath={.spec.groups[*].rules[*].alert}").ok();
            assertThat(alerts.split(" ")).hasSize(9).contains("SwitchboardKvCacheNearSaturation");
        } finally {
            Tools.helmOnCluster("uninstall", "mon", "--namespace", ns, "--timeout", "40s").ok();
        }
    }
}
