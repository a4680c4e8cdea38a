package dev.switchboard.e2e.bench;

import dev.switchboard.testing.Crds;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.Map;

/** The real API-server harness with the Switchboard CRDs, and the env a packaged app needs to talk to it. */
final class BenchCluster {
    private BenchCluster() {
    }

    static KubernetesClient withCrds(String namespace) {
        KubernetesClient client = KubeApiServer.shared().client();
        Crds.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        return client;
    }

    static Map<String, String> clientEnv(String namespace) {
        Map<String, String> env = new HashMap<>();
        var config = KubeApiServer.shared().config();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", config.getMasterUrl());
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", config.getOauthToken());
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
        return env;
    }
}
