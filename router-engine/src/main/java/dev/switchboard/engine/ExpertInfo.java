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
 * @param upstreamModel   model name written into requests sent to the expert (an adapter's own name)
 * @param endpoints       ready endpoints; empty means not routable (an adapter's are its base's pods)
 * @param apiKey          bearer token for external experts, or null
 * @param cost            relative cost of one query (0 when unknown)
 * @param pricing         what its answers cost, for usage metering (an adapter's from its own spec.cost)
 * @param coldStart       scales from zero (spec.autoscaling, or an adapter on such a base): without endpoints it
 *                        is still a candidate, and the proxy holds its requests while it starts
 * @param embeds          serves embeddings only (spec.task: embed): never routed, answers /v1/embeddings
 */
public record ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                         List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                         List<String> examples, boolean generalist, Map<String, Double> quality, double cost,
                         Pricing pricing, boolean coldStart, boolean embeds) {
    public ExpertInfo {
        pricing = pricing == null ? Pricing.perQuery(cost) : pricing;
        endpoints = List.copyOf(endpoints);
        categories = Set.copyOf(categories);
        examples = List.copyOf(examples);
        quality = Map.copyOf(quality);
    }

    /** Always on (no cold start), without token prices: the relative cost is the cost of one query. */
    public ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                      List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                      List<String> examples, boolean generalist, Map<String, Double> quality, double cost) {
        this(name, namespace, servedModelName, upstreamModel, endpoints, apiKey, categories, description, examples,
                generalist, quality, cost, null, false, false);
    }

    /** Always on (no cold start). */
    public ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                      List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                      List<String> examples, boolean generalist, Map<String, Double> quality, double cost,
                      Pricing pricing) {
        this(name, namespace, servedModelName, upstreamModel, endpoints, apiKey, categories, description, examples,
                generalist, quality, cost, pricing, false, false);
    }

    /** A generating expert that may start cold; without token prices (null) a query costs {@code cost}. */
    public ExpertInfo(String name, String namespace, String servedModelName, String upstreamModel,
                      List<Endpoint> endpoints, String apiKey, Set<String> categories, String description,
                      List<String> examples, boolean generalist, Map<String, Double> quality, double cost,
                      Pricing pricing, boolean coldStart) {
        this(name, namespace, servedModelName, upstreamModel, endpoints, apiKey, categories, description, examples,
                generalist, quality, cost, pricing, coldStart, false);
    }

    /** What it serves, in a client's words. */
    public String serves() {
        return embeds ? "embeddings (POST /v1/embeddings)"
                : "chat, completions and responses (POST /v1/chat/completions, /v1/completions, /v1/responses)";
    }

    /** A candidate for routing: ready endpoints now, or a cold start the proxy can wait for. */
    public boolean routable() {
        return !endpoints.isEmpty() || coldStart;
    }

    /** Ready endpoints now. */
    public boolean ready() {
        return !endpoints.isEmpty();
    }

    /** Scales from zero and has no ready endpoint: its requests are held while it starts. */
    public boolean cold() {
        return coldStart && endpoints.isEmpty();
    }
}
