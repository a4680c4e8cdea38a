package dev.switchboard.engine;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Strategy builders by RoutingPolicy strategy.type. */
public final class StrategyRegistry {
    private final Map<String, StrategyBuilder> builders;

    private StrategyRegistry(Map<String, StrategyBuilder> builders) {
        this.builders = Map.copyOf(builders);
    }

    /** Every strategy this router implements. */
    public static StrategyRegistry standard() {
        Map<String, StrategyBuilder> builders = new TreeMap<>();
        // one line per strategy type
        builders.put(dev.switchboard.engine.strategy.StaticStrategy.TYPE,
                dev.switchboard.engine.strategy.StaticStrategy::build);
        builders.put(dev.switchboard.engine.strategy.CategoryStrategy.TYPE,
                dev.switchboard.engine.strategy.CategoryStrategy::build);
        builders.put(dev.switchboard.engine.strategy.SemanticStrategy.TYPE,
                dev.switchboard.engine.strategy.SemanticStrategy::build);
        builders.put("cluster", dev.switchboard.engine.learned.LearnedStrategies.CLUSTER);
        builders.put("classifier", dev.switchboard.engine.learned.LearnedStrategies.CLASSIFIER);
        builders.put("reward", dev.switchboard.engine.learned.LearnedStrategies.REWARD);
        builders.put("costAware", dev.switchboard.engine.learned.LearnedStrategies.COST_AWARE);
        builders.put("metaLLM", dev.switchboard.engine.learned.MetaLlmStrategy::build);
        return new StrategyRegistry(builders);
    }

    public static StrategyRegistry of(Map<String, StrategyBuilder> builders) {
        return new StrategyRegistry(builders);
    }

    public Optional<StrategyBuilder> builder(String type) {
        return Optional.ofNullable(builders.get(type));
    }

    public java.util.Set<String> types() {
        return builders.keySet();
    }
}
