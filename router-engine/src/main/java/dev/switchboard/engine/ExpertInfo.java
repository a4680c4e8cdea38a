package dev.switchboard.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An expert as the router sees it: immutable, built from an ExpertModel plus its ready endpoints.
 *
 * @param name            ExpertModel name (unique within the namespace)
 * @param namespace       namespace of the ExpertModel
 * @param servedModelName name clients use to pin this expert
 * @param upstreamModel   model name written into requests sent to the expert
 * @param endpoints       ready endpoints; empty means not routable
 * @param apiKey          bearer token for external experts, or null
 * @param cost            relative cost of one query (0 when unknown)
 * @param pricing         what its answers cost, for usage metering
 * @param embeds          serves embeddings only (spec.task: embed): never routed, answers /v1/embeddings
 */
public record ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                         List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                         List<String> examples, boolean generalist, Map<String, Double> quality, double cost,
                         Pricing pricing, boolean embeds) {
    public ExpertInfo {
        pricing = pricing == null ? Pricing.perQuery(cost) : pricing;
        endpoints = List.copyOf(endpoints);
        categories = Set.copyOf(categories);
        examples = List.copyOf(examples);
        quality = Map.copyOf(quality);
    }

    /** A generating (chat) expert. */
    public ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                      List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                      List<String> examples, boolean generalist, Map<String, Double> quality, double cost,
                      Pricing pricing) {
        this(name, namespace, servedModelName, upstreamModel, endpoints, apiKey, categories, description, examples,
                generalist, quality, cost, pricing, false);
    }

    /** Without token prices: the relative cost is the cost of one query. */
    public ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                      List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                      List<String> examples, boolean generalist, Map<String, Double> quality, double cost) {
        this(name, namespace, servedModelName, upstreamModel, endpoints, apiKey, categories, description, examples,
                generalist, quality, cost, null, false);
    }

    /** What it serves, in a client's words. */
    public String serves() {
        return embeds ? "embeddings (POST /v1/embeddings)"
                : "chat, completions and responses (POST /v1/chat/completions, /v1/completions, /v1/responses)";
    }

    public boolean routable() {
        return !endpoints.isEmpty();
    }
}
