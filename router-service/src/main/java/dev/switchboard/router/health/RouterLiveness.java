package dev.switchboard.router.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** The process serves HTTP; nothing else can make the router unrecoverable. */
@Liveness
@ApplicationScoped
public class RouterLiveness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("router");
    }
}
