package dev.switchboard.operator.it;

import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the packaged Quarkus operator at the real kube-apiserver harness, watching one namespace. */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
    public static final String NS = "quarkus-it";

    @Override
    public Map<String, String> start() {
        KubeApiServer server = KubeApiServer.shared();
        try (KubernetesClient client = server.client()) {
            InProcessOperator.installCrds(client);
            InProcessOperator.createNamespace(client, NS);
        }
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.token", server.config().getOauthToken(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", NS,
                "quarkus.operator-sdk.namespaces", NS,
                "quarkus.http.test-port", "0");
    }

    @Override
    public void stop() {
        // The shared harness stops with the JVM.
    }
}
