package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.ClassifierStrategySpec;
import dev.switchboard.api.v1alpha1.LearnedArtifactRef;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.StrategyBuilder;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.learned.ExpertSelector;
import dev.switchboard.engine.learned.RouterArtifact;

import java.util.List;

/** Builders of the trained strategies: cluster, classifier, reward and costAware. */
public final class LearnedStrategies {
    private LearnedStrategies() {
    }

    public static final StrategyBuilder CLUSTER = (name, spec, experts, ctx) ->
            new LearnedStrategy("cluster", name, ctx.encoder(), load(spec, ctx, "cluster"), ExpertSelector.BEST,
                    uncertainty(spec), metric(spec));

    public static final StrategyBuilder REWARD = (name, spec, experts, ctx) ->
            new LearnedStrategy("reward", name, ctx.encoder(), load(spec, ctx, "reward"), ExpertSelector.BEST,
                    uncertainty(spec), metric(spec));

    public static final StrategyBuilder CLASSIFIER = (name, spec, experts, ctx) ->
            new LearnedStrategy("classifier", name, ctx.encoder(), load(spec, ctx, "classifier"),
                    classifierSelector(spec.strategy.classifier), uncertainty(spec), metric(spec));

    /** costAware accepts any trained predictor as its quality estimate. */
    public static final StrategyBuilder COST_AWARE = (name, spec, experts, ctx) -> {
        double lambda = spec.strategy.costAware == null || spec.strategy.costAware.costWeight == null
                ? 0 : spec.strategy.costAware.costWeight;
        if (lambda < 0 || Double.isNaN(lambda)) {
            throw new InvalidPolicyException("spec.strategy.costAware.costWeight must be >= 0 (got " + lambda + ")");
        }
        return new LearnedStrategy("costAware", name, ctx.encoder(), load(spec, ctx, null),
                ExpertSelector.costAware(lambda), uncertainty(spec), metric(spec));
    };

    static ExpertSelector classifierSelector(ClassifierStrategySpec c) {
        if (c == null || c.policy == null || c.policy.equals("best")) {
            return ExpertSelector.BEST;
        }
        if (!c.policy.equals("thresholdCheapest")) {
            throw new InvalidPolicyException("spec.strategy.classifier.policy must be best or thresholdCheapest (got "
                    + c.policy + ")");
        }
        if (c.threshold == null || c.threshold < 0 || c.threshold > 1) {
            throw new InvalidPolicyException("spec.strategy.classifier.threshold must be set between 0 and 1 for "
                    + "policy thresholdCheapest");
        }
        return ExpertSelector.thresholdCheapest(c.threshold);
    }

    private static Double uncertainty(RoutingPolicySpec spec) {
        return spec.strategy.uncertainty == null ? null : spec.strategy.uncertainty.threshold;
    }

    private static String metric(RoutingPolicySpec spec) {
        String m = spec.strategy.uncertainty == null ? null : spec.strategy.uncertainty.metric;
        if (m != null && !List.of("maxProb", "margin", "entropy").contains(m)) {
            throw new InvalidPolicyException("spec.strategy.uncertainty.metric must be maxProb, margin or entropy (got "
                    + m + ")");
        }
        return m;
    }

    /** Reads, parses and checks the policy's artifact; {@code kind} null accepts any kind. */
    public static RouterArtifact load(RoutingPolicySpec spec, StrategyContext ctx, String kind) {
        LearnedArtifactRef ref = spec.strategy.learned;
        if (ref == null || ref.configMapRef == null || ref.configMapRef.isBlank()) {
            throw new InvalidPolicyException("spec.strategy.learned.configMapRef is required for strategy "
                    + spec.strategy.type + ": it names the ConfigMap holding the trained router");
        }
        String key = ref.keyOrDefault();
        String where = "spec.strategy.learned: artifact " + ref.configMapRef + "/" + key;
        String json = ctx.artifact(ref.configMapRef, key).orElseThrow(() -> new InvalidPolicyException(
                where + " not found (ConfigMap or key missing)"));
        RouterArtifact artifact;
        try {
            artifact = RouterArtifact.parse(json, where);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(e.getMessage(), e);
        }
        if (kind != null && !kind.equals(artifact.kind)) {
            throw new InvalidPolicyException(where + " is a " + artifact.kind + " router, strategy " + kind
                    + " needs a " + kind + " artifact");
        }
        String encoderId = ctx.encoder().id();
        if (!artifact.encoder.equals(encoderId)) {
            throw new InvalidPolicyException(where + " was trained with encoder " + artifact.encoder
                    + " but this policy uses " + encoderId);
        }
        if (artifact.dimension != ctx.encoder().dimension()) {
            throw new InvalidPolicyException(where + " has dimension " + artifact.dimension + " but encoder "
                    + encoderId + " produces " + ctx.encoder().dimension());
        }
        return artifact;
    }
}
