package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.CategoryDefinition;
import dev.switchboard.api.v1alpha1.CategoryRoute;
import dev.switchboard.api.v1alpha1.CategoryStrategySpec;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.MetaLlmStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.StrategySpec;
import dev.switchboard.api.v1alpha1.WeightedExpert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes a RoutingPolicy unservable given the ExpertModels of its namespace, each problem naming its field.
 * The operator reports these as {@code Ready=False}, reason {@code InvalidPolicy}; the router refuses to serve such
 * a policy with the same message. Besides the strategy: the experts' served names must be distinct and the
 * durations at least 1ms. Only the settings of the policy's strategy type are checked (the router ignores the
 * others). What only the router can know (a trained artifact's categories, an encoder that cannot load) is
 * checked by the router and reported in {@code status.routingTable}.
 */
public final class PolicyRules {
    private PolicyRules() {
    }

    /** The problems of the policy of {@code experts}, in field order; empty when it can be served. */
    public static List<Problem> check(PolicyExperts experts) {
        List<Problem> problems = new ArrayList<>();
        RoutingPolicySpec spec = experts.policy().getSpec();
        if (spec == null) {
            problems.add(new Problem("spec", "missing"));
            return problems;
        }
        if (spec.experts == null) {
            problems.add(new Problem("spec.experts", "missing; set a selector or names"));
        } else {
            problems.addAll(LabelSelectors.problems("spec.experts.selector", spec.experts.selector));
        }
        for (String name : experts.embedders()) {
            String field = name.equals(spec.fallback) ? "spec.fallback" : "spec.experts.names";
            problems.add(new Problem(field, "expert '" + name + "' serves embeddings (spec.task: embed), not chat; "
                    + "a RoutingPolicy never routes to it (clients call it by name on /v1/embeddings)"));
        }
        servedNames(problems, experts);
        durations(problems, spec);
        StrategySpec strategy = spec.strategy;
        if (strategy == null || strategy.type == null || strategy.type.isBlank()) {
            problems.add(new Problem("spec.strategy.type", "missing"));
            return problems;
        }
        switch (strategy.type) {
            case "static" -> weighted(problems, "spec.strategy.static.experts",
                    strategy.staticWeights == null ? null : strategy.staticWeights.experts, experts);
            case "category" -> category(problems, strategy, experts);
            case "metaLLM" -> metaLlm(problems, strategy.metaLLM, experts);
            default -> {
                // the other strategies name no experts; their settings are checked where they are built
            }
        }
        return problems;
    }

    /**
     * The categories a zero-shot category strategy can predict, in the order it lists them: those defined in
     * {@code strategy.category.categories}, then those of the existing experts' {@code expertise.categories} (by
     * expert name, then category name).
     */
    public static Set<String> zeroShotCategories(PolicyExperts experts) {
        Set<String> names = new LinkedHashSet<>();
        StrategySpec strategy = experts.policy().getSpec() == null ? null : experts.policy().getSpec().strategy;
        if (strategy != null && strategy.category != null && strategy.category.categories != null) {
            for (CategoryDefinition d : strategy.category.categories) {
                if (d != null && d.name != null && !d.name.isBlank()) {
                    names.add(d.name);
                }
            }
        }
        for (ExpertModel expert : experts.found().values()) {
            if (expert.getSpec() != null && expert.getSpec().expertise != null
                    && expert.getSpec().expertise.categories != null) {
                expert.getSpec().expertise.categories.stream().filter(c -> c != null && !c.isBlank())
                        .sorted().forEach(names::add);
            }
        }
        return names;
    }

    /**
     * Routes of {@code category} whose category is not one of {@code known} (the categories the classifier can
     * predict: no query would ever take such a route). {@code knownWhat} says where the known ones come from, e.g.
     * "known" or "the trained classifier cm/router.json knows".
     */
    public static List<Problem> unknownRouteCategories(CategoryStrategySpec category, Collection<String> known,
                                                       String knownWhat) {
        List<Problem> problems = new ArrayList<>();
        List<CategoryRoute> routes = category == null || category.routes == null ? List.of() : category.routes;
        for (int i = 0; i < routes.size(); i++) {
            CategoryRoute r = routes.get(i);
            if (r != null && r.category != null && !known.contains(r.category)) {
                problems.add(new Problem("spec.strategy.category.routes[" + i + "].category", "unknown category '"
                        + r.category + "' (" + knownWhat + ": " + String.join(", ", known) + ")"));
            }
        }
        return problems;
    }

    private static void category(List<Problem> problems, StrategySpec strategy, PolicyExperts experts) {
        CategoryStrategySpec cs = strategy.category == null ? new CategoryStrategySpec() : strategy.category;
        List<CategoryDefinition> defs = cs.categories == null ? List.of() : cs.categories;
        Set<String> defined = new HashSet<>();
        for (int i = 0; i < defs.size(); i++) {
            CategoryDefinition d = defs.get(i);
            String at = "spec.strategy.category.categories[" + i + "].name";
            if (d == null || d.name == null || d.name.isBlank()) {
                problems.add(new Problem(at, "missing"));
            } else if (!defined.add(d.name)) {
                problems.add(new Problem(at, "category '" + d.name + "' is defined twice"));
            }
        }
        List<CategoryRoute> routes = cs.routes == null ? List.of() : cs.routes;
        Set<String> routed = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            CategoryRoute r = routes.get(i);
            String at = "spec.strategy.category.routes[" + i + "]";
            if (r == null || r.category == null || r.category.isBlank()) {
                problems.add(new Problem(at + ".category", "missing"));
            } else if (!routed.add(r.category)) {
                problems.add(new Problem(at + ".category", "'" + r.category + "' is routed twice"));
            }
            weighted(problems, at + ".experts", r == null ? null : r.experts, experts);
        }
        if (strategy.learned == null) {
            Set<String> known = zeroShotCategories(experts);
            if (known.isEmpty()) {
                problems.add(new Problem("spec.strategy.category.categories", "no categories; define them here or "
                        + "in the selected experts' expertise.categories"));
            } else {
                problems.addAll(unknownRouteCategories(cs, known, "known"));
            }
        }
    }

    private static void metaLlm(List<Problem> problems, MetaLlmStrategySpec meta, PolicyExperts experts) {
        String field = "spec.strategy.metaLLM.expert";
        if (meta == null || meta.expert == null || meta.expert.isBlank()) {
            problems.add(new Problem(field, "missing: the ExpertModel acting as the meta model"));
        } else if (!experts.contains(meta.expert)) {
            problems.add(new Problem(field, notAmong(meta.expert, experts)));
        }
    }

    /** A list of experts with traffic weights (strategy.static.experts, a category route's experts). */
    private static void weighted(List<Problem> problems, String field, List<WeightedExpert> list,
                                 PolicyExperts experts) {
        if (list == null || list.isEmpty()) {
            problems.add(new Problem(field, "at least one expert is required"));
            return;
        }
        Set<String> seen = new HashSet<>();
        boolean someTraffic = false;
        for (int i = 0; i < list.size(); i++) {
            WeightedExpert w = list.get(i);
            String at = field + "[" + i + "]";
            if (w == null || w.name == null || w.name.isBlank()) {
                problems.add(new Problem(at + ".name", "missing"));
                continue;
            }
            if (!experts.contains(w.name)) {
                problems.add(new Problem(at + ".name", notAmong(w.name, experts)));
            }
            if (!seen.add(w.name)) {
                problems.add(new Problem(at + ".name", "expert '" + w.name + "' is listed twice"));
            }
            int weight = w.weight == null ? 1 : w.weight;
            if (weight < 0) {
                problems.add(new Problem(at + ".weight", "must be >= 0, got " + weight));
            }
            someTraffic |= weight > 0;
        }
        if (!someTraffic) {
            problems.add(new Problem(field, "all weights are 0, so no traffic could go anywhere"));
        }
    }

    /**
     * Two of the policy's experts serving the same model name: a request pinned to that name could reach either, and
     * the router could not tell them apart in its decisions.
     */
    private static void servedNames(List<Problem> problems, PolicyExperts experts) {
        Map<String, List<String>> byServedName = new TreeMap<>();
        experts.found().forEach((name, expert) -> byServedName.computeIfAbsent(expert.servedModelName(),
                n -> new ArrayList<>()).add(name));
        byServedName.forEach((served, names) -> {
            if (names.size() > 1) {
                problems.add(new Problem("spec.experts", "experts " + String.join(", ", names) + " all serve the "
                        + "model name '" + served + "' (spec.model.servedName, else metadata.name); the experts of a "
                        + "policy need distinct served names"));
            }
        });
    }

    private static void durations(List<Problem> problems, RoutingPolicySpec spec) {
        if (spec.timeouts != null) {
            GoDurations.problem("spec.timeouts.connect", spec.timeouts.connect).ifPresent(problems::add);
            GoDurations.problem("spec.timeouts.firstByte", spec.timeouts.firstByte).ifPresent(problems::add);
            GoDurations.problem("spec.timeouts.request", spec.timeouts.request).ifPresent(problems::add);
        }
        if (spec.failover != null) {
            GoDurations.problem("spec.failover.circuitBreakerOpenFor", spec.failover.circuitBreakerOpenFor)
                    .ifPresent(problems::add);
        }
        if (spec.holding != null && spec.holding.maxWait != null) {
            GoDurations.problem("spec.holding.maxWait", spec.holding.maxWait).ifPresent(problems::add);
        }
    }

    private static String notAmong(String name, PolicyExperts experts) {
        RoutingPolicySpec spec = experts.policy().getSpec();
        String why;
        if (!experts.existsInNamespace(name)) {
            why = "no ExpertModel of that name exists in namespace " + PolicyExperts.namespace(experts.policy());
        } else if (spec.experts != null && spec.experts.selector != null) {
            why = "spec.experts.selector does not select it";
        } else {
            why = "spec.experts.names does not list it";
        }
        return "expert '" + name + "' is not among the policy's experts (" + why + "); list it in spec.experts.names";
    }
}
