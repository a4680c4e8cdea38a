package dev.switchboard.e2e;

import java.time.Duration;

/** What runs on loopback in place of one simulated pod. */
public interface PodProcess {
    int localPort();

    boolean isAlive();

    /** Graceful stop, as the kubelet does: SIGTERM, then SIGKILL after the grace period. */
    void stop(Duration grace);
}
