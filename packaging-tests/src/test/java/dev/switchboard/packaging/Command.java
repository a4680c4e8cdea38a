package dev.switchboard.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a CLI (helm, kubectl, promtool, bash) in the project root and captures its output. */
record Command(List<String> argv, Path workDir, String stdin, Map<String, String> env) {

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static Command of(Object... argv) {
        List<String> list = new ArrayList<>();
        for (Object a : argv) {
            list.add(a.toString());
        }
        return new Command(list, Tools.projectRoot(), null, Map.of());
    }

    Command withStdin(String input) {
        return new Command(argv, workDir, input, env);
    }

    /** Environment variables set (added or replaced; a null value removes one) for the command. */
    Command withEnv(Map<String, String> vars) {
        return new Command(argv, workDir, stdin, vars);
    }

    Result run() {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
            env.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(50, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 50 s: " + String.join(" ", argv));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        }
    }

    /** Runs and fails with the command's output unless it exits 0. */
    String ok() {
        Result result = run();
        if (result.exitCode() != 0) {
            throw new AssertionError("`" + String.join(" ", argv) + "` exited " + result.exitCode() + ":\n"
                    + result.all());
        }
        return result.stdout();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
