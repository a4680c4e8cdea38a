package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the operator under the ServiceAccount token of operator/src/main/kubernetes/clusterrole.yaml: proves the
 * least-privilege ClusterRole is enough (including granting the router Role, which RBAC allows only for
 * permissions the operator holds itself: the ClusterRole has no Secret access, the external expert's key is granted
 * by its owner).
 */
class OperatorRbacTest {
    static final String NS = "rbac-it";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void operatorWorksUnderItsClusterRole() throws Exception {
        KubernetesClient admin = KubeApiServer.shared().client();
        InProcessOperator.installCrds(admin);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(admin, NS);
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("switchboard-operator").endMetadata().build()).serverSideApply();
        try (InputStream in = Files.newInputStream(
                ProjectPaths.root().resolve("operator/src/main/kubernetes/clusterrole.yaml"))) {
            ClusterRole role = Serialization.unmarshal(in, ClusterRole.class);
            admin.resource(role).forceConflicts().serverSideApply();
        }
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("switchboard-operator-test")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("switchboard-operator").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName("switchboard-operator").withNamespace(NS).endSubject().build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace(NS).withName("switchboard-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        KubernetesClient restricted = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                        KubeApiServer.shared().config()).withOauthToken(token).withNamespace(NS).build()).build();

        admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("ext-key")
                .endMetadata().addToStringData("key", "sk").build()).create();
        // The Secret's owner grants it to Switchboard (docs/security.md#secrets): get on it, by name, for the
        // operator's ServiceAccount. Without this the operator could not list it in the router's Role.
        TrustBoundaryTest.grantToOperator(admin, NS, "ext-key", "switchboard-operator", NS);
        try (InProcessOperator operator = InProcessOperator.start(restricted,
                OperatorConfig.defaults().withTrust(TestResources.loopbackTrust()), NS, "switchboard-operator-lease")) {
            admin.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: code, namespace: rbac-it}
                    spec:
                      model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                      cache: {size: 10Gi}
                    """, ExpertModel.class)).create();
            admin.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: ext, namespace: rbac-it}
                    spec:
                      external: {url: "http://127.0.0.1:1/v1", apiKeySecretRef: {name: ext-key, key: key}}
                    """, ExpertModel.class)).create();
            admin.resource(Serialization.unmarshal("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: RoutingPolicy
                    metadata: {name: p, namespace: rbac-it}
                    spec:
                      experts: {names: [code, ext]}
                      strategy: {type: static, static: {experts: [{name: code}, {name: ext}]}}
                      router: {replicas: 2}
                    """, RoutingPolicy.class)).create();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(admin.apps().deployments().inNamespace(NS).withName("code").get()).isNotNull();
                assertThat(admin.services().inNamespace(NS).withName("code").get()).isNotNull();
                assertThat(admin.persistentVolumeClaims().inNamespace(NS).withName("code-cache").get()).isNotNull();
                assertThat(admin.apps().deployments().inNamespace(NS).withName("p-router").get()).isNotNull();
                assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("p-router").get())
                        .isNotNull();
                var role = admin.rbac().roles().inNamespace(NS).withName("p-router").get();
                assertThat(role).isNotNull();
                assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResourceNames()).contains("ext-key"));
                ExpertModel code = admin.resources(ExpertModel.class).inNamespace(NS).withName("code").get();
                assertThat(code.getStatus()).isNotNull();
                assertThat(code.getStatus().phase).isNotNull();
                ExpertModel ext = admin.resources(ExpertModel.class).inNamespace(NS).withName("ext").get();
                assertThat(ext.getStatus()).isNotNull();
                assertThat(ext.getStatus().condition("Degraded").orElseThrow().getReason())
                        .isEqualTo("EndpointUnreachable"); // the key was granted: the probe itself ran
                RoutingPolicy p = admin.resources(RoutingPolicy.class).inNamespace(NS).withName("p").get();
                assertThat(p.getStatus()).isNotNull();
                assertThat(p.getStatus().condition("Degraded").orElseThrow().getReason()).isEqualTo("NoReadyExpert");
            });
            // Leader election ran under the same role: the Lease is held by this operator.
            var lease = admin.leases().inNamespace(NS).withName("switchboard-operator-lease").get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            assertThat(admin.v1().events().inNamespace(NS).list().getItems())
                    .anySatisfy(e -> assertThat(e.getSource().getComponent()).isEqualTo("switchboard-operator"));
        }
    }
}
