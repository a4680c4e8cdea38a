package dev.switchboard.engine;

import java.util.List;
import java.util.Map;

/**
 * The outcome of routing one query.
 *
 * @param ranked         experts to try, best first (failover walks this list); never contains unroutable experts
 * @param category       category, cluster or label the strategy assigned, or null
 * @param confidence     0..1, how sure the strategy is of ranked.get(0)
 * @param fallbackReason why the policy fallback was used, or null when it was not
 * @param scores         per-expert (or per-category) scores behind the decision, for /v1/route and debugging
 * @param directAnswer   an answer the strategy produced itself (metaLLM answering as itself), or null
 */
public record Decision(String policy, String strategy, List<String> ranked, String category, double confidence,
                       String fallbackReason, Map<String, Double> scores, String directAnswer) {
    public Decision {
        ranked = List.copyOf(ranked);
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    /** A request that named an expert itself (its served model name): that expert, when it is routable. */
    public static Decision pinned(ExpertInfo expert) {
        return new Decision(null, "pinned", expert.routable() ? List.of(expert.name()) : List.of(), null, 1.0, null,
                Map.of(), null);
    }

    public String expert() {
        return ranked.isEmpty() ? null : ranked.get(0);
    }

    public boolean fellBack() {
        return fallbackReason != null;
    }
}
