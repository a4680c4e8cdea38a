package dev.switchboard.e2e;

import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole product on the simulated cluster: the Helm chart installed, the pod agent running the packaged
 * operator and routers on loopback, and an ingress per router Service. Used by the e2e tests and the demo.
 */
public final class SwitchboardOnSimCluster implements AutoCloseable {
    public static final String OPERATOR_NAMESPACE = "switchboard-system";

    private final SimCluster cluster;
    private final KubernetesClient client;
    private final AddressMap addresses;
    private final PodAgent agent;

    private SwitchboardOnSimCluster(SimCluster cluster) throws IOException {
        this.cluster = cluster;
        this.client = cluster.client();
        Path logs = Files.createDirectories(cluster.state().resolve("pod-logs"));
        this.addresses = new AddressMap(cluster.state().resolve("address-map.properties"));
        Path root = ProjectPaths.root();
        this.agent = new PodAgent(client, addresses,
                requireJar(root.resolve("router-service/target/quarkus-app/quarkus-run.jar")),
                requireJar(root.resolve("operator/target/quarkus-app/quarkus-run.jar")), logs).start();
    }

    /** Starts the simulated cluster and installs the chart from helm/switchboard. */
    public static SwitchboardOnSimCluster start(Path state) {
        SimCluster cluster = SimCluster.start(state);
        SwitchboardOnSimCluster system;
        try {
            system = new SwitchboardOnSimCluster(cluster);
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        try {
            // The stand-in experts (and the hosted "frontier" one's stand-in) listen on loopback, which the chart
            // denies by default: allow it explicitly, and plain http to it for the API key (docs/security.md).
            Cli.helm(cluster.kubeconfig(), "upgrade", "--install", "switchboard",
                    ProjectPaths.root().resolve("helm/switchboard").toString(),
                    "--namespace", OPERATOR_NAMESPACE, "--create-namespace",
                    "--set", "trust.endpoints.allowedCIDRs={127.0.0.0/8}",
                    "--set", "trust.endpoints.plainHttp={127.0.0.0/8}",
                    // The pod agent runs routers as local JVMs and mounts no Secrets: the simulated cluster's
                    // routers are open (no API keys), the chart's documented mode for demos and tests.
                    "--set", "defaults.routerAuth=open").orThrow();
            return system;
        } catch (RuntimeException e) {
            system.close(); // also stops the pod agent's processes
            throw new IllegalStateException("helm install of helm/switchboard failed: " + e.getMessage(), e);
        }
    }

    private static Path requireJar(Path jar) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with `mvn -B package -DskipTests` first");
        }
        return jar;
    }

    public KubernetesClient client() {
        return client;
    }

    public SimCluster cluster() {
        return cluster;
    }

    public AddressMap addresses() {
        return addresses;
    }

    public PodAgent agent() {
        return agent;
    }

    /** An ingress for a router Service (named {@code <policy>-router}). */
    public ServiceIngress ingress(String namespace, String service) {
        return new ServiceIngress(client, namespace, service, addresses);
    }

    @Override
    public void close() {
        agent.close();
        client.close();
        cluster.close();
    }
}
