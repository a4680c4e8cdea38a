package dev.switchboard.router.support;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny deterministic strategy for HTTP tests: experts named in the query text, in the order the query names
 * them, then the rest of the routable experts; nothing named → the fallback, reason "no-match".
 */
public final class NameMatchStrategy implements RoutingStrategy {
    @Override
    public String type() {
        return "name-match";
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        String text = query.text().toLowerCase();
        List<String> named = new ArrayList<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        policy.routableExperts().stream()
                .filter(e -> text.contains(e))
                .sorted((a, b) -> Integer.compare(text.indexOf(a), text.indexOf(b)))
                .forEach(e -> {
                    named.add(e);
                    scores.put(e, 0.9);
                });
        if (named.isEmpty()) {
            List<String> ranked = policy.fallback() != null && policy.isRoutable(policy.fallback())
                    ? List.of(policy.fallback()) : List.of();
            return new Decision(policy.name(), type(), ranked, null, 0.2, "no-match: no expert named in query",
                    scores, null);
        }
        List<String> ranked = new ArrayList<>(named);
        return new Decision(policy.name(), type(), ranked, named.get(0), 0.9, null, scores, null);
    }
}
