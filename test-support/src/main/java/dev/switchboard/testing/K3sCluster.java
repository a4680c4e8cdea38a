package dev.switchboard.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** A k3s cluster in a container, for the Testcontainers variant of the tests; skipped without Docker. */
public final class K3sCluster {
    public static final String IMAGE = System.getProperty("switchboard.k3sImage", "rancher/k3s:v1.31.4-k3s1");
    private static K3sContainer container;

    private K3sCluster() {
    }

    /** Starts k3s once per JVM, or aborts the calling test (as skipped) when no Docker engine answers. */
    public static synchronized KubernetesClient clientOrSkip() {
        Assumptions.assumeTrue(dockerAvailable(), "no Docker engine: Testcontainers k3s test skipped");
        if (container == null) {
            container = new K3sContainer(DockerImageName.parse(IMAGE));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        }
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(container.getKubeConfigYaml())).build();
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
