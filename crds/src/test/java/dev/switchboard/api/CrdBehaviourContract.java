package dev.switchboard.api;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the generated CRDs must do on any real Kubernetes API server: install, accept the examples, scale. */
abstract class CrdBehaviourContract {
    static final String NAMESPACE = "crd-tests";
    static KubernetesClient client;

    static void installCrds(KubernetesClient kubernetes) throws IOException {
        client = kubernetes;
        CrdInstaller.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Test
    void bothCrdsAreEstablished() {
        for (String name : CrdInstaller.NAMES) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            assertThat(crd.getStatus().getConditions())
                    .anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("Established");
                        assertThat(c.getStatus()).isEqualTo("True");
                    });
        }
    }

    @Test
    void everyShippedExampleIsAccepted() throws IOException {
        Path examples = ProjectPaths.root().resolve("deploy/examples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(examples)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int count = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata item : client.load(in).items()) {
                    if (!item.getApiVersion().startsWith("switchboard.dev/")) {
                        continue;
                    }
                    try {
                        client.resource(item).inNamespace(NAMESPACE).dryRun().create();
                        count++;
                    } catch (KubernetesClientException e) {
                        throw new AssertionError(file + " " + item.getKind() + "/" + item.getMetadata().getName()
                                + " rejected: " + e.getMessage(), e);
                    }
                }
            }
        }
        assertThat(count).as("Switchboard objects in deploy/examples").isGreaterThanOrEqualTo(12);
    }

    @Test
    void scaleSubresourceChangesSpecReplicas() throws IOException {
        HasMetadata expert = client.load(Files.newInputStream(
                ProjectPaths.root().resolve("deploy/examples/experts/math-expert.yaml"))).items().get(0);
        expert.getMetadata().setName("scaled-math");
        client.resource(expert).inNamespace(NAMESPACE).create();

        client.resources(ExpertModel.class).inNamespace(NAMESPACE).withName("scaled-math").scale(3);

        ExpertModel scaled = client.resources(ExpertModel.class).inNamespace(NAMESPACE).withName("scaled-math").get();
        assertThat(scaled.getSpec().replicas).isEqualTo(3);
        assertThat(client.resources(ExpertModel.class).inNamespace(NAMESPACE).withName("scaled-math").scale()
                .getSpec().getReplicas()).isEqualTo(3);
    }

}
