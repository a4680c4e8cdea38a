package dev.switchboard.e2e.bench;

import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real API-server harness with the Switchboard CRDs, and the env a packaged app needs to talk to it. */
final class BenchCluster {
    private BenchCluster() {
    }

    static KubernetesClient withCrds(String namespace) {
        KubernetesClient client = KubeApiServer.shared().client();
        for (String name : List.of("expertmodels.switchboard.dev", "routingpolicies.switchboard.dev")) {
            try (InputStream in = Files.newInputStream(ProjectPaths.root().resolve("deploy/crds/" + name + ".yaml"))) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                client.resource(crd).forceConflicts().serverSideApply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
                    c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                    30, TimeUnit.SECONDS);
        }
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
