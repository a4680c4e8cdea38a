package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.proxy.CircuitBreakers;
import dev.switchboard.router.table.RoutingTableHolder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;

/** JSON views of the routing table (/q/routing) and of one decision (/v1/route). */
final class RoutingInfo {
    private RoutingInfo() {
    }

    static JsonObject toJson(RoutingTableHolder.Snapshot snapshot, CircuitBreakers breakers) {
        JsonArray policies = new JsonArray();
        snapshot.table().policies().values().stream().sorted(Comparator.comparing(PolicyRoute::modelName))
                .forEach(p -> {
                    JsonArray experts = new JsonArray();
                    p.experts().values().stream().sorted(Comparator.comparing(ExpertInfo::name))
                            .forEach(e -> experts.add(expert(e)));
                    policies.add(new JsonObject().put("name", p.name()).put("namespace", p.namespace())
                            .put("modelName", p.modelName()).put("strategy", p.strategy().type())
                            .put("fallback", p.fallback()).put("routableExperts", new JsonArray(p.routableExperts()))
                            .put("experts", experts));
                });
        JsonArray experts = new JsonArray();
        snapshot.table().experts().values().stream().sorted(Comparator.comparing(ExpertInfo::servedModelName))
                .forEach(e -> experts.add(expert(e)));
        JsonObject errors = new JsonObject();
        snapshot.errors().forEach(errors::put);
        // by policy, then expert: {"ns/policy": {"ns/expert": "OPEN"}}; calls outside any policy under "-"
        JsonObject breakerStates = new JsonObject();
        breakers.states().forEach((k, v) -> {
            int bar = k.indexOf('|');
            String scope = bar < 0 ? "-" : k.substring(0, bar);
            JsonObject perPolicy = breakerStates.getJsonObject(scope);
            if (perPolicy == null) {
                perPolicy = new JsonObject();
                breakerStates.put(scope, perPolicy);
            }
            perPolicy.put(k.substring(bar + 1), v.name());
        });
        return new JsonObject().put("version", snapshot.table().version()).put("source", snapshot.source())
                .put("loadedAt", snapshot.loadedAt().toString())
                .put("models", new JsonArray(snapshot.table().availableModels()))
                .put("policies", policies).put("experts", experts).put("errors", errors)
                .put("circuitBreakers", breakerStates);
    }

    private static JsonObject expert(ExpertInfo e) {
        JsonArray endpoints = new JsonArray();
        e.endpoints().forEach(ep -> endpoints.add(withoutCredentials(ep.baseUrl())));
        return new JsonObject().put("name", e.name()).put("servedModelName", e.servedModelName())
                .put("upstreamModel", e.upstreamModel()).put("routable", e.routable())
                .put("categories", new JsonArray(e.categories().stream().sorted().toList()))
                .put("generalist", e.generalist()).put("endpoints", endpoints);
    }

    /** A URL as shown: user info (user:password@) and the query string removed, they may hold credentials. */
    static String withoutCredentials(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            String shown = (u.getScheme() == null ? "" : u.getScheme() + "://") + (u.getHost() == null ? ""
                    : u.getHost()) + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
            return u.getRawUserInfo() != null || u.getRawQuery() != null ? shown + " (credentials hidden)" : shown;
        } catch (IllegalArgumentException e) {
            return "(unparseable URL hidden)";
        }
    }

    static JsonObject decisionJson(Decision d, String model, long tableVersion) {
        JsonObject scores = new JsonObject();
        d.scores().entrySet().stream().sorted(java.util.Map.Entry.comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> scores.put(e.getKey(), e.getValue()));
        return new JsonObject().put("object", "switchboard.route").put("model", model)
                .put("tableVersion", tableVersion).put("policy", d.policy()).put("strategy", d.strategy())
                .put("expert", d.expert()).put("ranked", new JsonArray(d.ranked())).put("category", d.category())
                .put("confidence", d.confidence()).put("fallbackReason", d.fallbackReason()).put("scores", scores);
    }
}
