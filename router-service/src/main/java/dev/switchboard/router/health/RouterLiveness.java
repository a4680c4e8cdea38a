package dev.switchboard.router.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once the process cannot recover by itself: an OutOfMemoryError was seen ({@link FatalErrors}), or an event
 * loop stopped ticking ({@link EventLoopHeartbeat}). Kubernetes then restarts the pod.
 */
@Liveness
@ApplicationScoped
public class RouterLiveness implements HealthCheck {
    private final EventLoopHeartbeat heartbeat;

    public RouterLiveness(EventLoopHeartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public HealthCheckResponse call() {
        String fatal = FatalErrors.first();
        long silence = heartbeat.longestSilenceMillis();
        boolean up = fatal == null && !heartbeat.wedged();
        var builder = HealthCheckResponse.named("router").status(up).withData("eventLoopSilenceMs", silence);
        if (fatal != null) {
            builder.withData("fatal", fatal);
        }
        return builder.build();
    }
}
