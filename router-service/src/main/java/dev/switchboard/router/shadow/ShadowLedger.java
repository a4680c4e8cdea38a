package dev.switchboard.router.shadow;

import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.ShadowRoute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tallies of this router's shadows, one per live policy (namespace/name); a change of shadow or of either
 * policy's generation starts a new tally, so counts never mix two versions of a policy.
 */
@ApplicationScoped
public class ShadowLedger {
    private final Map<String, ShadowTally> byLive = new ConcurrentHashMap<>();

    ShadowTally tally(PolicyRoute live, ShadowRoute shadow) {
        String key = ShadowRoute.key(live);
        ShadowTally t = byLive.get(key);
        if (t != null && t.shadow.equals(shadow.policy().name()) && t.liveGeneration == shadow.liveGeneration()
                && t.shadowGeneration == shadow.shadowGeneration()) {
            return t;
        }
        return byLive.compute(key, (k, old) -> old != null && old.shadow.equals(shadow.policy().name())
                && old.liveGeneration == shadow.liveGeneration() && old.shadowGeneration == shadow.shadowGeneration()
                ? old : new ShadowTally(live.name(), shadow.policy().name(), shadow.liveGeneration(),
                shadow.shadowGeneration()));
    }

    /** The current tallies, by live policy key. */
    public Map<String, ShadowTally> tallies() {
        return Map.copyOf(byLive);
    }

    /** What this replica saw, for /q/shadow. */
    public JsonObject view() {
        JsonArray list = new JsonArray();
        byLive.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ShadowTally t = e.getValue();
            ShadowTally.Counts c = t.total();
            JsonArray categories = new JsonArray();
            c.categories.forEach((name, v) -> categories.add(new JsonObject().put("category", name)
                    .put("decisions", v[0]).put("agreed", v[1])));
            JsonArray pairs = new JsonArray();
            for (Map.Entry<List<String>, Long> p : ShadowTally.top(c, 20)) {
                pairs.add(new JsonObject().put("liveExpert", p.getKey().get(0))
                        .put("shadowExpert", p.getKey().get(1)).put("count", p.getValue()));
            }
            double[] ms = t.latencyMillis();
            list.add(new JsonObject().put("live", e.getKey()).put("shadow", t.shadow)
                    .put("liveGeneration", t.liveGeneration).put("shadowGeneration", t.shadowGeneration)
                    .put("since", t.since.toString()).put("decisions", c.decisions).put("agreed", c.agreed)
                    .put("shed", c.shed).put("samples", c.samples).put("perCategory", categories)
                    .put("disagreements", pairs)
                    .put("decisionLatencyMs", ms == null ? null : new JsonObject().put("liveP50", ms[0])
                            .put("liveP99", ms[1]).put("shadowP50", ms[2]).put("shadowP99", ms[3])));
        });
        return new JsonObject().put("shadows", list);
    }
}
