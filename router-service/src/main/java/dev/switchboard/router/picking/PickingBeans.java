package dev.switchboard.router.picking;

import dev.switchboard.router.config.RouterConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/** The router's one picker and the replica loads it reads, sized from {@code switchboard.picking.*}. */
@Singleton
public class PickingBeans {
    @Produces
    @Singleton
    ReplicaLoads replicaLoads(RouterConfig config) {
        Duration interval = config.picking().metrics().interval();
        return new ReplicaLoads(interval.multipliedBy(3).compareTo(Duration.ofSeconds(2)) > 0
                ? interval.multipliedBy(3) : Duration.ofSeconds(2));
    }

    @Produces
    @Singleton
    EndpointPicker endpointPicker(RouterConfig config, ReplicaLoads loads) {
        return new EndpointPicker(config.picking().prefixIndexBlocks(), config.picking().sessionMaxEntries(), loads);
    }
}
