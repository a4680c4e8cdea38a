package dev.switchboard.e2e;

import java.time.Duration;

/** What runs on loopback in place of one simulated pod. */
public interface PodProcess {
    int localPort();

    /**
     * Where the process serves the pod's port named "management" (a router's /q/health and /q/metrics), if it has
     * one apart from {@link #localPort()}.
     */
    default java.util.OptionalInt managementPort() {
        return java.util.OptionalInt.empty();
    }

    boolean isAlive();

    /** Graceful stop, as the kubelet does: SIGTERM, then SIGKILL after the grace period. */
    void stop(Duration grace);
}
