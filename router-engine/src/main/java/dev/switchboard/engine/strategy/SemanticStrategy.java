package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.SemanticStrategySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nearest examples: the experts' example queries (and descriptions) are embedded at build time; a query goes to
 * the expert whose examples dominate its top-k most similar ones (sum of their similarities). When even the
 * winner's best example is less similar than minSimilarity, the query goes to the fallback.
 */
public final class SemanticStrategy implements RoutingStrategy {
    public static final String TYPE = "semantic";
    public static final int DEFAULT_TOP_K = 5;

    private final String policyName;
    private final Encoder encoder;
    /** Example vectors and, at the same index, the index of the expert they belong to. */
    private final float[][] vectors;
    private final int[] owner;
    private final String[] experts;
    private final int topK;
    private final double minSimilarity;
    private final Uncertainty uncertainty;

    private SemanticStrategy(String policyName, Encoder encoder, float[][] vectors, int[] owner, String[] experts,
                             int topK, double minSimilarity, Uncertainty uncertainty) {
        this.policyName = policyName;
        this.encoder = encoder;
        this.vectors = vectors;
        this.owner = owner;
        this.experts = experts;
        this.topK = topK;
        this.minSimilarity = minSimilarity;
        this.uncertainty = uncertainty;
    }

    public static SemanticStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                                         StrategyContext context) {
        SemanticStrategySpec ss = spec.strategy.semantic == null ? new SemanticStrategySpec() : spec.strategy.semantic;
        int topK = ss.topK == null ? DEFAULT_TOP_K : ss.topK;
        if (topK < 1) {
            throw new InvalidPolicyException("spec.strategy.semantic.topK: must be >= 1, got " + topK);
        }
        double minSimilarity = ss.minSimilarity == null ? Double.NEGATIVE_INFINITY : ss.minSimilarity;
        if (ss.minSimilarity != null && (minSimilarity < -1 || minSimilarity > 1)) {
            throw new InvalidPolicyException("spec.strategy.semantic.minSimilarity: must be between -1 and 1, got "
                    + minSimilarity);
        }
        Uncertainty uncertainty = Uncertainty.of(spec.strategy.uncertainty);

        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (ExpertInfo e : experts.values().stream().sorted(Comparator.comparing(ExpertInfo::name)).toList()) {
            List<String> own = new ArrayList<>(e.examples());
            if (e.description() != null && !e.description().isBlank()) {
                own.add(e.description());
            }
            own.removeIf(t -> t == null || t.isBlank());
            if (own.isEmpty()) {
                continue;
            }
            names.add(e.name());
            for (String t : own) {
                texts.add(t);
                owners.add(names.size() - 1);
            }
        }
        if (texts.isEmpty()) {
            throw new InvalidPolicyException("spec.experts: none of the selected experts ("
                    + String.join(", ", experts.keySet().stream().sorted().toList())
                    + ") has expertise.examples or expertise.description to compare queries with");
        }
        Encoder encoder = context.encoder();
        float[][] vectors = encoder.embedAll(texts).toArray(float[][]::new);
        return new SemanticStrategy(policyName, encoder, vectors, owners.stream().mapToInt(Integer::intValue).toArray(),
                names.toArray(String[]::new), Math.min(topK, vectors.length), minSimilarity, uncertainty);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        float[] q = encoder.embed(query.routableText(false));
        // Top-k by insertion into a small sorted array: k is tiny and the example count modest.
        int[] best = new int[topK];
        double[] bestSim = new double[topK];
        Arrays.fill(bestSim, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            double s = dot(q, vectors[i]);
            if (s > bestSim[topK - 1]) {
                int j = topK - 1;
                while (j > 0 && bestSim[j - 1] < s) {
                    bestSim[j] = bestSim[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                bestSim[j] = s;
                best[j] = i;
            }
        }
        double[] score = new double[experts.length];
        double[] maxSim = new double[experts.length];
        Arrays.fill(maxSim, Double.NEGATIVE_INFINITY);
        double total = 0;
        for (int j = 0; j < topK; j++) {
            int e = owner[best[j]];
            // Negative similarities are evidence against, not for: they add nothing.
            double s = Math.max(0, bestSim[j]);
            score[e] += s;
            total += s;
            maxSim[e] = Math.max(maxSim[e], bestSim[j]);
        }
        Integer[] order = new Integer[experts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]).thenComparing(i -> experts[i]));

        Map<String, Double> scores = new LinkedHashMap<>();
        Ranking chosen = new Ranking(policy);
        for (int i : order) {
            if (score[i] > 0) {
                scores.put(experts[i], score[i]);
                chosen.add(experts[i]);
            }
        }
        int winner = order[0];
        double confidence = total > 0 ? score[winner] / total : 0;

        Ranking ranking = new Ranking(policy);
        String reason = null;
        boolean canFallBack = policy.isRoutable(policy.fallback()) || hasRoutableGeneralist(policy);
        if (maxSim[winner] < minSimilarity && canFallBack) {
            reason = "low-similarity";
        } else if (uncertainty.unsure(confidence) && canFallBack) {
            reason = "low-confidence";
        } else if (!policy.isRoutable(experts[winner]) && canFallBack) {
            // The best-matching expert is down: a generalist beats a specialist of another field.
            reason = "no-ready-expert";
        }
        if (reason != null) {
            ranking.add(policy.fallback());
            ranking.addGeneralists();
        }
        ranking.addAll(chosen.list());
        ranking.add(policy.fallback());
        ranking.addAll(policy.routableExperts());
        return new Decision(policyName, TYPE, ranking.list(), null, confidence, reason, scores, null);
    }

    private static boolean hasRoutableGeneralist(PolicyRoute policy) {
        for (ExpertInfo e : policy.experts().values()) {
            if (e.generalist() && e.routable()) {
                return true;
            }
        }
        return false;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
