package dev.switchboard.api;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.KubeBinaries;
import dev.switchboard.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRD contract on a real kube-apiserver + etcd started by the harness, plus kubectl scale. */
class CrdsOnRealApiServerTest extends CrdBehaviourContract {

    @BeforeAll
    static void install() throws IOException {
        installCrds(KubeApiServer.shared().client());
    }

    @Test
    void kubectlScaleChangesSpecReplicas() throws Exception {
        ExpertModel expert = client.resources(ExpertModel.class).load(Files.newInputStream(
                ProjectPaths.root().resolve("deploy/examples/experts/code-expert.yaml"))).item();
        expert.getMetadata().setName("kubectl-scaled");
        client.resource(expert).inNamespace(NAMESPACE).create();

        Path kubectl = KubeBinaries.locate("kubectl").resolve("kubectl");
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
}
