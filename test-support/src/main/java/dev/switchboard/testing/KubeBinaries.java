package dev.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds real Kubernetes control-plane binaries: $SWITCHBOARD_K8S_BIN, $KUBEBUILDER_ASSETS, the cache that
 * hack/k8s-binaries.sh fills, or (last) runs that script, which builds them from the Go module proxy.
 */
public final class KubeBinaries {
    public static final String K8S_VERSION = System.getProperty("switchboard.k8sVersion", "1.34.2");

    private KubeBinaries() {
    }

    public static Path locate(String... names) {
        List<Path> candidates = new ArrayList<>();
        for (String env : List.of("SWITCHBOARD_K8S_BIN", "KUBEBUILDER_ASSETS")) {
            String dir = System.getenv(env);
            if (dir != null && !dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".cache", "switchboard", "k8s-" + K8S_VERSION));
        for (Path dir : candidates) {
            if (hasAll(dir, names)) {
                return dir;
            }
        }
        return build(names);
    }

    static boolean hasAll(Path dir, String... names) {
        for (String name : names) {
            if (!Files.isExecutable(dir.resolve(name))) {
                return false;
            }
        }
        return true;
    }

    private static Path build(String... names) {
        Path script = ProjectPaths.root().resolve("hack/k8s-binaries.sh");
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(names));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("hack/k8s-binaries.sh failed to provide " + String.join(", ", names));
            }
            String[] lines = out.split("\n");
            return Path.of(lines[lines.length - 1].trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building Kubernetes binaries", e);
        }
    }
}
