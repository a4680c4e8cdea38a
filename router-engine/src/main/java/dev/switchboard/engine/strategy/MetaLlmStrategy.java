package dev.switchboard.engine.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.v1alpha1.MetaLlmStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.ModelReply;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyBuilder;
import dev.switchboard.engine.StrategyContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expert-token routing: the meta expert (served by vLLM) reads a prompt listing one token per expert (its name and
 * description) plus SELF, and must answer with exactly one of them (vLLM {@code guided_choice}). The token's
 * probability from the returned logprobs is the confidence. Tokens come from the policy's experts at decision
 * time, so a new ExpertModel gets its token without retraining anything. When the meta model picks SELF, it is
 * called again with the original request and its answer is returned in {@link Decision#directAnswer()}. Both calls
 * go through the {@link ModelClient} it was built with: in the router, the same upstream path as any expert call
 * (balancing, breaker, timeouts and failover of the policy, upstream metrics).
 */
public final class MetaLlmStrategy implements RoutingStrategy {
    public static final String SELF = "SELF";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String policyName;
    private final String metaExpert;
    private final boolean allowSelf;
    private final String instructions;
    private final ModelClient models;

    public MetaLlmStrategy(String policyName, String metaExpert, boolean allowSelf, String instructions,
                           ModelClient models) {
        this.policyName = policyName;
        this.metaExpert = metaExpert;
        this.allowSelf = allowSelf;
        this.instructions = instructions;
        this.models = models;
    }

    /** Builds the metaLLM strategies of routing tables whose model calls go through {@code models}. */
    public static StrategyBuilder builder(ModelClient models) {
        return (policyName, spec, experts, context) -> build(policyName, spec, experts, context, models);
    }

    static RoutingStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                                 StrategyContext context, ModelClient models) {
        // PolicyRules has checked that metaLLM.expert is one of the policy's experts (it may not exist yet).
        MetaLlmStrategySpec m = spec.strategy.metaLLM;
        return new MetaLlmStrategy(policyName, m.expert, m.allowSelf == null || m.allowSelf, m.instructions, models);
    }

    @Override
    public String type() {
        return "metaLLM";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** Expert tokens: every routable expert except the meta expert, by name. */
    List<String> tokens(PolicyRoute policy) {
        List<String> t = new ArrayList<>();
        for (String e : policy.routableExperts()) {
            if (!e.equals(metaExpert)) {
                t.add(e);
            }
        }
        return t;
    }

    String systemPrompt(PolicyRoute policy, List<String> tokens) {
        StringBuilder s = new StringBuilder();
        if (instructions != null && !instructions.isBlank()) {
            s.append(instructions.trim()).append("\n\n");
        }
        s.append("You are a router. Choose the expert best suited to answer the user's request and reply with "
                + "exactly one of these tokens, nothing else:\n");
        for (String t : tokens) {
            ExpertInfo info = policy.experts().get(t);
            s.append("- ").append(t);
            if (info.description() != null && !info.description().isBlank()) {
                s.append(": ").append(info.description().trim());
            }
            if (!info.categories().isEmpty()) {
                s.append(" (").append(String.join(", ", new java.util.TreeSet<>(info.categories()))).append(')');
            }
            s.append('\n');
        }
        if (allowSelf) {
            s.append("- ").append(SELF).append(": none of the experts fits; you answer yourself\n");
        }
        return s.toString();
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        ExpertInfo meta = policy.experts().get(metaExpert);
        List<String> tokens = tokens(policy);
        if (meta == null || !meta.routable()) {
            return fallback(policy, "meta expert " + metaExpert + " is not routable");
        }
        List<String> choices = new ArrayList<>(tokens);
        if (allowSelf) {
            choices.add(SELF);
        }
        if (choices.isEmpty()) {
            return fallback(policy, "no expert token to choose from");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", meta.upstreamModel());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", systemPrompt(policy, tokens));
        messages.addObject().put("role", "user").put("content", query.text());
        ArrayNode guided = body.putArray("guided_choice");
        choices.forEach(guided::add);
        body.put("max_tokens", 16);
        body.put("temperature", 0);
        body.put("logprobs", true);
        body.put("top_logprobs", 5);
        JsonNode response;
        try {
            response = ask(meta, policy, body);
        } catch (IOException e) {
            return fallback(policy, "meta model " + metaExpert + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback(policy, "interrupted while asking the meta model");
        }
        JsonNode choice = response.path("choices").path(0);
        String picked = choice.path("message").path("content").asText("").trim();
        if (!choices.contains(picked)) {
            return fallback(policy, "meta model answered '" + abbreviate(picked) + "', not one of " + choices);
        }
        double logprob = 0;
        Map<String, Double> scores = new LinkedHashMap<>();
        JsonNode content = choice.path("logprobs").path("content");
        for (JsonNode tok : content) {
            logprob += tok.path("logprob").asDouble(0);
        }
        // alternatives of the first token that start an expert token, as a rough view of the runner-up experts
        if (content.size() > 0) {
            for (JsonNode alt : content.get(0).path("top_logprobs")) {
                String t = alt.path("token").asText("");
                for (String c : choices) {
                    if (!t.isBlank() && c.startsWith(t.trim()) && !scores.containsKey(c)) {
                        scores.put(c, Math.exp(alt.path("logprob").asDouble()));
                    }
                }
            }
        }
        double confidence = content.size() == 0 ? 1.0 : Math.exp(logprob);
        scores.put(picked, confidence);
        if (picked.equals(SELF)) {
            return answerSelf(query, policy, meta, confidence, scores);
        }
        List<String> ranked = new ArrayList<>();
        ranked.add(picked);
        if (policy.fallback() != null && policy.isRoutable(policy.fallback()) && !ranked.contains(policy.fallback())) {
            ranked.add(policy.fallback());
        }
        return new Decision(policyName, type(), ranked, picked, confidence, null, scores, null);
    }

    private Decision answerSelf(Query query, PolicyRoute policy, ExpertInfo meta, double confidence,
                                Map<String, Double> scores) {
        ObjectNode request;
        try {
            request = query.body() != null && !query.body().isBlank()
                    ? (ObjectNode) JSON.readTree(query.body()) : JSON.createObjectNode();
        } catch (IOException | ClassCastException e) {
            request = JSON.createObjectNode();
        }
        if (!request.has("messages")) {
            request.putArray("messages").addObject().put("role", "user").put("content", query.text());
        }
        request.put("model", meta.upstreamModel());
        request.put("stream", false); // the answer is returned whole in the decision
        try {
            JsonNode answer = ask(meta, policy, request);
            String text = answer.path("choices").path(0).path("message").path("content").asText(null);
            if (text == null) {
                return selfByForwarding(policy, confidence, scores, "meta model's own answer had no content");
            }
            return new Decision(policyName, type(), List.of(metaExpert), "self", confidence, null, scores, text);
        } catch (IOException e) {
            return selfByForwarding(policy, confidence, scores, "meta model's own answer failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return selfByForwarding(policy, confidence, scores, "interrupted");
        }
    }

    /** When the second call fails, let the router forward the request to the meta expert like any expert. */
    private Decision selfByForwarding(PolicyRoute policy, double confidence, Map<String, Double> scores,
                                      String reason) {
        List<String> ranked = new ArrayList<>(List.of(metaExpert));
        if (policy.fallback() != null && policy.isRoutable(policy.fallback()) && !metaExpert.equals(policy.fallback())) {
            ranked.add(policy.fallback());
        }
        return new Decision(policyName, type(), ranked, "self", confidence, reason, scores, null);
    }

    /** One call to the meta expert alone, under the policy's failover and timeouts. */
    private JsonNode ask(ExpertInfo meta, PolicyRoute policy, JsonNode body) throws IOException, InterruptedException {
        ModelReply reply = models.await(RoutePlan.single(meta, policy), "/chat/completions",
                JSON.writeValueAsString(body));
        if (!reply.ok()) {
            throw new ModelCallException("HTTP " + reply.status() + " from " + reply.expert() + ": "
                    + abbreviate(reply.body()));
        }
        return JSON.readTree(reply.body());
    }

    private Decision fallback(PolicyRoute policy, String reason) {
        List<String> ranked = new ArrayList<>();
        if (policy.fallback() != null && policy.isRoutable(policy.fallback())) {
            ranked.add(policy.fallback());
        }
        for (String e : policy.routableExperts()) {
            if (!ranked.contains(e) && !e.equals(metaExpert)) {
                ranked.add(e);
            }
        }
        return new Decision(policyName, type(), ranked, null, 0, reason, Map.of(), null);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
