package dev.switchboard.router.health;

import dev.switchboard.router.table.RoutingTableHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a routing table is loaded. Tables are only swapped in after their strategies are built, which
 * embeds every category/example with the policy's encoder, so a loaded table also means a warmed-up encoder.
 */
@Readiness
@ApplicationScoped
public class RoutingReadiness implements HealthCheck {
    private final RoutingTableHolder tables;

    public RoutingReadiness(RoutingTableHolder tables) {
        this.tables = tables;
    }

    @Override
    public HealthCheckResponse call() {
        RoutingTableHolder.Snapshot s = tables.snapshot();
        return HealthCheckResponse.named("routing-table").status(tables.loaded())
                .withData("version", s.table().version()).withData("source", s.source())
                .withData("policies", s.table().policies().size())
                .withData("errors", s.errors().size()).build();
    }
}
