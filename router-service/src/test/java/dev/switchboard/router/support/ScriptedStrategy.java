package dev.switchboard.router.support;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;

import java.util.List;
import java.util.Map;

/**
 * A strategy for request-path tests, scripted by the first word of the query: "throw" fails, "null" returns no
 * decision (an exception further down the request path), "direct" answers itself, "slow" decides after 600 ms;
 * anything else decides like {@link NameMatchStrategy}. Its type says where the router runs it: "static" is on the
 * event loop by default, any other type on a worker.
 */
public final class ScriptedStrategy implements RoutingStrategy {
    private final String type;
    private final NameMatchStrategy names = new NameMatchStrategy();

    public ScriptedStrategy(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        String text = query.text();
        if (text.startsWith("throw")) {
            throw new IllegalStateException("scripted failure");
        }
        if (text.startsWith("null")) {
            return null;
        }
        if (text.startsWith("direct")) {
            return new Decision(policy.name(), type, List.of(), "direct", 1.0, null, Map.of(), "scripted answer");
        }
        if (text.startsWith("slow")) {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Decision d = names.decide(query, policy);
        return new Decision(d.policy(), type, d.ranked(), d.category(), d.confidence(), d.fallbackReason(),
                d.scores(), null);
    }
}
