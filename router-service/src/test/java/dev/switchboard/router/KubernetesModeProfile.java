package dev.switchboard.router;

import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The router in Kubernetes mode against the real kube-apiserver harness, serving one policy of one namespace. */
public class KubernetesModeProfile implements QuarkusTestProfile {
    static final String NAMESPACE = "router-k8s";
    static final String POLICY = "k8s-static";
    /** Resolved to 127.0.0.1 by src/test/resources/test-hosts (jdk.net.hosts.file, see the pom). */
    static final String STAND_IN_HOST = "alpha.router-k8s.test";

    @Override
    public Map<String, String> getConfigOverrides() {
        KubeApiServer kube = KubeApiServer.shared();
        try (KubernetesClient client = kube.client()) {
            installCrds(client);
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                    .createOr(existing -> existing.update());
        } catch (Exception e) {
            throw new IllegalStateException("preparing the API server failed: " + e.getMessage(), e);
        }
        return Map.of(
                "switchboard.mode", "kubernetes",
                "switchboard.namespace", NAMESPACE,
                "switchboard.policy", POLICY,
                "switchboard.kubernetes.status-interval", "200ms",
                "quarkus.kubernetes-client.api-server-url", kube.url(),
                "quarkus.kubernetes-client.token", kube.config().getOauthToken(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", NAMESPACE);
    }

    static void installCrds(KubernetesClient client) {
        dev.switchboard.testing.Crds.install(client);
    }
}
