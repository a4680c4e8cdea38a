package dev.switchboard.router.proxy;

import dev.switchboard.engine.table.StrategyRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The strategies the router's table sources build: the engine's, calling models through the router's upstream path. */
@ApplicationScoped
public class RouterStrategies {
    @Produces
    @Singleton
    StrategyRegistry strategies(RouterModelClient models) {
        return StrategyRegistry.standard(models);
    }
}
