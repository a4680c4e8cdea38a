package dev.switchboard.e2e;

import dev.switchboard.testing.KubeBinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs kubectl or helm (the binaries hack/k8s-binaries.sh provides) against a kubeconfig. */
public final class Cli {
    private Cli() {
    }

    public record Result(int exitCode, String output) {
        public Result orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException("exit " + exitCode + ": " + output);
            }
            return this;
        }
    }

    public static Result kubectl(Path kubeconfig, String... args) {
        return run("kubectl", kubeconfig, args);
    }

    public static Result helm(Path kubeconfig, String... args) {
        return run("helm", kubeconfig, args);
    }

    private static Result run(String tool, Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>();
        command.add(KubeBinaries.locate(tool).resolve(tool).toString());
        command.add("--kubeconfig");
        command.add(kubeconfig.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " timed out: " + String.join(" ", args));
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
