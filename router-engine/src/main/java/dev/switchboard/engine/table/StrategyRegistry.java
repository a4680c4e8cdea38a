package dev.switchboard.engine.table;

import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.StrategyBuilder;
import dev.switchboard.engine.strategy.CategoryStrategy;
import dev.switchboard.engine.strategy.LearnedStrategies;
import dev.switchboard.engine.strategy.MetaLlmStrategy;
import dev.switchboard.engine.strategy.SemanticStrategy;
import dev.switchboard.engine.strategy.StaticStrategy;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Strategy builders by RoutingPolicy strategy.type. */
public final class StrategyRegistry {
    private final Map<String, StrategyBuilder> builders;

    private StrategyRegistry(Map<String, StrategyBuilder> builders) {
        this.builders = Map.copyOf(builders);
    }

    /**
     * Every strategy this router implements, without a model client: metaLLM decisions fall back with a reason. For
     * tables that only need the other strategies (tools, tests of them).
     */
    public static StrategyRegistry standard() {
        return standard(ModelClient.NONE);
    }

    /** Every strategy this router implements; strategies that call models (metaLLM) do so through {@code models}. */
    public static StrategyRegistry standard(ModelClient models) {
        Map<String, StrategyBuilder> builders = new TreeMap<>();
        // one line per strategy type
        builders.put(StaticStrategy.TYPE, StaticStrategy::build);
        builders.put(CategoryStrategy.TYPE, CategoryStrategy::build);
        builders.put(SemanticStrategy.TYPE, SemanticStrategy::build);
        builders.put("cluster", LearnedStrategies.CLUSTER);
        builders.put("classifier", LearnedStrategies.CLASSIFIER);
        builders.put("reward", LearnedStrategies.REWARD);
        builders.put("costAware", LearnedStrategies.COST_AWARE);
        builders.put("metaLLM", MetaLlmStrategy.builder(models));
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
