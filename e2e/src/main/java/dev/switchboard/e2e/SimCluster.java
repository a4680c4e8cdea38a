package dev.switchboard.e2e;

import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The simulated GPU cluster of hack/sim-cluster.sh: real control plane, kwok nodes with nvidia.com/gpu. */
public final class SimCluster implements AutoCloseable {
    private final Path state;
    private final Path kubeconfig;
    private final Config config;

    private SimCluster(Path state, Path kubeconfig) throws IOException {
        this.state = state;
        this.kubeconfig = kubeconfig;
        this.config = Config.fromKubeconfig(Files.readString(kubeconfig));
    }

    public static SimCluster start(Path state) {
        try {
            String out = run("up", state);
            String[] lines = out.trim().split("\n");
            return new SimCluster(state, Path.of(lines[lines.length - 1].trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path state() {
        return state;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        stop(state);
    }

    /** Stops every process hack/sim-cluster.sh started for this state directory; harmless when none runs. */
    public static void stop(Path state) {
        try {
            run("down", state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(String command, Path state) throws IOException {
        Path script = ProjectPaths.root().resolve("hack/sim-cluster.sh");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString(), command, state.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // the pod agent plays the readiness probe, so kwok must leave pods not Ready until it does
        builder.environment().put("SIM_POD_READINESS", "agent");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("hack/sim-cluster.sh " + command + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }
}
