package dev.switchboard.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus app (router or operator) started as a child JVM in place of a pod. Its HTTP port and its
 * management port (the router's /q/health, /q/metrics, /q/routing; unused by apps without a management interface)
 * are loopback ports picked for it.
 */
public final class JvmPodProcess implements PodProcess {
    private final Process process;
    private final int port;
    private final int managementPort;

    public JvmPodProcess(Path jar, int port, Map<String, String> env, Path log, String maxHeap) {
        this.port = port;
        this.managementPort = dev.switchboard.testing.FreePort.pick();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    /** OS process id, e.g. to read its resident memory. */
    public long pid() {
        return process.pid();
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public java.util.OptionalInt managementPort() {
        return java.util.OptionalInt.of(managementPort);
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
