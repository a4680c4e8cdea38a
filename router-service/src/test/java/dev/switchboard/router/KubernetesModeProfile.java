package dev.switchboard.router;

import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/** The router in Kubernetes mode against the real kube-apiserver harness, serving one policy of one namespace. */
public class KubernetesModeProfile implements QuarkusTestProfile {
    static final String NAMESPACE = "router-k8s";
    static final String POLICY = "k8s-static";
    /**
     * Resolved to 127.0.0.1 by src/test/resources/test-hosts, which only this router's Vert.x resolver reads: a
     * JVM-wide jdk.net.hosts.file would also blind the Maven resolver that Quarkus' test bootstrap runs in this JVM.
     */
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
        return Map.ofEntries(
                Map.entry("quarkus.vertx.use-async-dns", "true"),
                Map.entry("quarkus.vertx.resolver.hosts-path",
                        Path.of("src/test/resources/test-hosts").toAbsolutePath().toString()),
                Map.entry("switchboard.mode", "kubernetes"),
                Map.entry("switchboard.namespace", NAMESPACE),
                Map.entry("switchboard.policy", POLICY),
                Map.entry("switchboard.kubernetes.status-interval", "200ms"),
                Map.entry("quarkus.kubernetes-client.api-server-url", kube.url()),
                Map.entry("quarkus.kubernetes-client.token", kube.config().getOauthToken()),
                Map.entry("quarkus.kubernetes-client.trust-certs", "true"),
                Map.entry("quarkus.kubernetes-client.namespace", NAMESPACE));
    }

    static void installCrds(KubernetesClient client) {
        dev.switchboard.testing.Crds.install(client);
    }
}
