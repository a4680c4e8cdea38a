package dev.switchboard.engine.strategy;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.learned.ExpertSelector;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained router (cluster, classifier, reward or costAware): embeds the query, predicts each expert's quality
 * with the artifact's predictor and picks with an {@link ExpertSelector}. Experts of the artifact that the policy
 * does not have, or that are not routable, are left out; experts without training data are never chosen.
 */
public final class LearnedStrategy implements RoutingStrategy {
    private final String type;
    private final String policyName;
    private final Encoder encoder;
    private final List<String> experts;
    private final QualityPredictor predictor;
    private final ExpertSelector selector;
    private final Double uncertaintyThreshold;
    private final String uncertaintyMetric;

    public LearnedStrategy(String type, String policyName, Encoder encoder, RouterArtifact artifact,
                           ExpertSelector selector, Double uncertaintyThreshold) {
        this(type, policyName, encoder, artifact, selector, uncertaintyThreshold, "maxProb");
    }

    /** @param uncertaintyMetric maxProb (chosen expert's prediction), margin (minus the runner-up) or entropy */
    public LearnedStrategy(String type, String policyName, Encoder encoder, RouterArtifact artifact,
                           ExpertSelector selector, Double uncertaintyThreshold, String uncertaintyMetric) {
        this.uncertaintyMetric = uncertaintyMetric == null ? "maxProb" : uncertaintyMetric;
        this.type = type;
        this.policyName = policyName;
        this.encoder = encoder;
        this.experts = List.copyOf(artifact.experts);
        this.predictor = artifact.predictor();
        this.selector = selector;
        this.uncertaintyThreshold = uncertaintyThreshold;
    }

    /** 0..1 confidence in the chosen expert by the policy's uncertainty metric. */
    double confidence(double[] q, ExpertSelector.Choice choice) {
        if (choice.chosen() < 0) {
            return 0;
        }
        double top = clamp(q[choice.chosen()]);
        switch (uncertaintyMetric) {
            case "margin" -> {
                double second = 0;
                for (int j : choice.order()) {
                    if (j != choice.chosen()) {
                        second = Math.max(second, clamp(q[j]));
                    }
                }
                return Math.max(0, top - second);
            }
            case "entropy" -> {
                int m = choice.order().size();
                double sum = 0;
                for (int j : choice.order()) {
                    sum += clamp(q[j]);
                }
                if (m < 2 || sum <= 0) {
                    return m < 2 ? 1 : 0;
                }
                double h = 0;
                for (int j : choice.order()) {
                    double pj = clamp(q[j]) / sum;
                    if (pj > 0) {
                        h -= pj * Math.log(pj);
                    }
                }
                return 1 - h / Math.log(m);
            }
            default -> {
                return top;
            }
        }
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        QualityPredictor.Prediction p = predictor.predict(encoder.embed(query.routableText(false)));
        int m = experts.size();
        boolean[] allowed = new boolean[m];
        double[] cost = new double[m];
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            String name = experts.get(j);
            allowed[j] = policy.isRoutable(name);
            ExpertInfo info = policy.experts().get(name);
            cost[j] = info == null ? 0 : info.cost();
            if (allowed[j]) {
                scores.put(name, p.quality()[j]);
            }
        }
        ExpertSelector.Choice choice = selector.choose(p.quality(), cost, allowed);
        String fallback = policy.fallback() != null && policy.isRoutable(policy.fallback()) ? policy.fallback() : null;
        String reason = null;
        double confidence = confidence(p.quality(), choice);
        boolean fallbackFirst = false;
        if (choice.order().isEmpty()) {
            reason = "no expert of the trained router is routable";
            fallbackFirst = true;
        } else if (choice.chosen() < 0) {
            reason = "no expert's predicted success reaches the threshold " + selector.threshold();
            fallbackFirst = true;
        } else if (uncertaintyThreshold != null && confidence < uncertaintyThreshold) {
            reason = "confidence " + String.format(java.util.Locale.ROOT, "%.3f", confidence)
                    + " is below the uncertainty threshold " + uncertaintyThreshold;
            fallbackFirst = true;
        }
        List<String> ranked = new ArrayList<>();
        if (fallbackFirst && fallback != null) {
            ranked.add(fallback);
        } else if (fallbackFirst) {
            reason = reason + " and the policy has no routable fallback";
        }
        for (int j : choice.order()) {
            String name = experts.get(j);
            if (!ranked.contains(name)) {
                ranked.add(name);
            }
            // best first, then the fallback, then the others
            if (ranked.size() == 1 && fallback != null && !ranked.contains(fallback)) {
                ranked.add(fallback);
            }
        }
        return new Decision(policyName, type, ranked, p.tag(), confidence, reason, scores, null);
    }
}
