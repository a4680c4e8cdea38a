package dev.switchboard.api;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated CRDs on a real kube-apiserver: installation, the shipped examples, scale. */
class CrdsOnRealApiServerTest {
    static final String NAMESPACE = "crd-tests";
    static KubernetesClient client;

    @BeforeAll
    static void installCrds() throws IOException {
        client = KubeApiServer.shared().client();
        CrdInstaller.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
    }

    @AfterAll
    static void close() {
        client.close();
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
        assertThat(count).as("Switchboard objects in deploy/examples").isGreaterThanOrEqualTo(8);
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

    @Test
    void kubectlScaleChangesSpecReplicas() throws Exception {
        Path kubectl = kubectl();
        ExpertModel expert = client.resources(ExpertModel.class).load(Files.newInputStream(
                ProjectPaths.root().resolve("deploy/examples/experts/code-expert.yaml"))).item();
        expert.getMetadata().setName("kubectl-scaled");
        client.resource(expert).inNamespace(NAMESPACE).create();

        Process process = new ProcessBuilder(kubectl.toString(), "--kubeconfig",
                KubeApiServer.shared().kubeconfig().toString(), "-n", NAMESPACE,
                "scale", "expertmodel/kubectl-scaled", "--replicas=4")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(client.resources(ExpertModel.class).inNamespace(NAMESPACE).withName("kubectl-scaled").get()
                .getSpec().replicas).isEqualTo(4);
    }

    static Path kubectl() {
        Path built = KubeApiServer.shared().binaries().resolve("kubectl");
        if (Files.isExecutable(built)) {
            return built;
        }
        return dev.switchboard.testing.KubeBinaries.locate("kubectl").resolve("kubectl");
    }

    static Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
