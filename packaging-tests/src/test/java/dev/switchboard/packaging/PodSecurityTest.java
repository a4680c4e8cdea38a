package dev.switchboard.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator pod passes the API server's PodSecurity admission at the "restricted" level. Admission enforces
 * on Pods (not Deployments), so the Deployment's pod template is submitted as a Pod with server-side dry-run.
 */
class PodSecurityTest {
    private static final String NS = "restricted";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void restrictedNamespace() {
        if (Cluster.client().namespaces().withName(NS).get() == null) {
            Cluster.client().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                    .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                    .endMetadata().build()).create();
        }
    }

    @Test
    void operatorPodIsAdmittedUnderRestricted() throws Exception {
        ObjectNode pod = operatorPod();
        String out = Tools.kubectlOnCluster("create", "--dry-run=server", "-n", NS, "-f", "-")
                .withStdin(JSON.writeValueAsString(pod)).ok();
        assertThat(out).contains("created (server dry run)");
    }

    @Test
    void theCheckIsRealAPodAllowingPrivilegeEscalationIsRejected() throws Exception {
        ObjectNode pod = operatorPod();
        ((ObjectNode) pod.at("/spec/containers/0/securityContext")).put("allowPrivilegeEscalation", true);
        Command.Result result = Tools.kubectlOnCluster("create", "--dry-run=server", "-n", NS, "-f", "-")
                .withStdin(JSON.writeValueAsString(pod)).run();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("violates PodSecurity \"restricted:latest\"", "allowPrivilegeEscalation");
    }

    private static ObjectNode operatorPod() {
        JsonNode template = HelmTemplateTest.render().get("Deployment", "switchboard").at("/spec/template");
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "operator-pod-security-check");
        pod.set("spec", template.path("spec").deepCopy());
        // The ServiceAccount does not exist in this namespace; admission of the security context is what counts.
        ((ObjectNode) pod.path("spec")).put("automountServiceAccountToken", false).remove("serviceAccountName");
        return pod;
    }
}
