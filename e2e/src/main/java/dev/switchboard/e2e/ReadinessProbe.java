package dev.switchboard.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A pod's readiness probe as the kubelet runs it against the pod's process on loopback: HTTP GET (200-399) when
 * the container declares an httpGet probe, else a TCP connect; every {@code period}, turning not ready after
 * {@code failureThreshold} failures in a row and ready again after one success.
 */
final class ReadinessProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    /** Re-checks at least this often, so a pod whose Ready condition someone else cleared is restored quickly. */
    private static final Duration MAX_PERIOD = Duration.ofSeconds(2);

    /** The router's management port by name and number, as the operator renders it. */
    static final String MANAGEMENT = "management";
    static final int MANAGEMENT_PORT = 9000;

    private final Optional<String> httpPath;
    private final boolean onManagementPort;
    private final Duration period;
    private final int failureThreshold;
    private int failures;
    private volatile boolean ready;

    private ReadinessProbe(Optional<String> httpPath, boolean onManagementPort, Duration period,
                           int failureThreshold) {
        this.httpPath = httpPath;
        this.onManagementPort = onManagementPort;
        this.period = period;
        this.failureThreshold = failureThreshold;
    }

    /** The probe of the pod's first container, with Kubernetes' defaults for what it leaves out. */
    static ReadinessProbe of(Pod pod) {
        Container container = pod.getSpec().getContainers().get(0);
        Optional<Probe> probe = Optional.ofNullable(container.getReadinessProbe());
        Optional<String> path = probe.map(Probe::getHttpGet).map(get -> get.getPath() == null ? "/" : get.getPath());
        boolean management = probe.map(Probe::getHttpGet).map(get -> get.getPort()).map(p ->
                MANAGEMENT.equals(p.getStrVal()) || Integer.valueOf(MANAGEMENT_PORT).equals(p.getIntVal()))
                .orElse(false);
        int periodSeconds = probe.map(Probe::getPeriodSeconds).orElse(10);
        Duration period = Duration.ofSeconds(periodSeconds);
        return new ReadinessProbe(path, management, period.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : period,
                probe.map(Probe::getFailureThreshold).orElse(3));
    }

    Duration period() {
        return period;
    }

    boolean ready() {
        return ready;
    }

    /** Probes every 100 ms until the first success (true) or until the deadline or the process ends (false). */
    boolean awaitFirstSuccess(PodProcess process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (passes(port(process))) {
                failures = 0;
                ready = true;
                return true;
            }
            sleep(100);
        }
        return false;
    }

    /** One periodic probe; returns whether the pod counts as ready afterwards. */
    boolean check(PodProcess process) {
        if (process.isAlive() && passes(port(process))) {
            failures = 0;
            ready = true;
        } else if (++failures >= failureThreshold) {
            ready = false;
        }
        return ready;
    }

    /** The local port the probe's port stands for: the process's management port, or its main one. */
    private int port(PodProcess process) {
        return onManagementPort ? process.managementPort().orElse(process.localPort()) : process.localPort();
    }

    String describe() {
        return httpPath.orElse("(TCP)");
    }

    private boolean passes(int port) {
        return httpPath.isPresent() ? httpGet(port, httpPath.get()) : tcpConnect(port);
    }

    private static boolean httpGet(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(1)).GET().build();
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean tcpConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
