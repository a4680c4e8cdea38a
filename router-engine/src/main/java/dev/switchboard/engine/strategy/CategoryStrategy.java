package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.CategoryDefinition;
import dev.switchboard.api.v1alpha1.CategoryRoute;
import dev.switchboard.api.v1alpha1.CategoryStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.encoder.VectorMath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Two-step Composition of Experts: classify the query into a category by nearest category texts (descriptions
 * and examples, embedded once at build time), then send it to that category's experts. Unsure classifications
 * and categories without a ready expert go to the policy fallback.
 */
public final class CategoryStrategy implements RoutingStrategy {
    public static final String TYPE = "category";
    public static final double DEFAULT_TEMPERATURE = 0.05;

    /** One category: its embedded texts and the experts that answer it. */
    record Category(String name, float[][] vectors, WeightedExperts route, List<String> experts) {
    }

    private final String policyName;
    private final Encoder encoder;
    private final Category[] categories;
    private final double temperature;
    private final Uncertainty uncertainty;
    private final DoubleSupplier random;

    CategoryStrategy(String policyName, Encoder encoder, List<Category> categories, double temperature,
                     Uncertainty uncertainty, DoubleSupplier random) {
        this.policyName = policyName;
        this.encoder = encoder;
        this.categories = categories.toArray(Category[]::new);
        this.temperature = temperature;
        this.uncertainty = uncertainty;
        this.random = random;
    }

    public static CategoryStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                                         StrategyContext context) {
        CategoryStrategySpec cs = spec.strategy.category == null ? new CategoryStrategySpec() : spec.strategy.category;
        double temperature = cs.temperature == null ? DEFAULT_TEMPERATURE : cs.temperature;
        if (!(temperature > 0)) {
            throw new InvalidPolicyException("spec.strategy.category.temperature: must be > 0, got " + temperature);
        }
        Uncertainty uncertainty = Uncertainty.of(spec.strategy.uncertainty);

        Map<String, List<String>> texts = categoryTexts(cs, experts);
        if (texts.isEmpty()) {
            throw new InvalidPolicyException("spec.strategy.category.categories: no categories; define them here or "
                    + "in the selected experts' expertise.categories");
        }
        Map<String, WeightedExperts> routes = new HashMap<>();
        List<CategoryRoute> routeSpecs = cs.routes == null ? List.of() : cs.routes;
        for (int i = 0; i < routeSpecs.size(); i++) {
            CategoryRoute r = routeSpecs.get(i);
            String at = "spec.strategy.category.routes[" + i + "]";
            if (r == null || r.category == null || !texts.containsKey(r.category)) {
                throw new InvalidPolicyException(at + ".category: unknown category '" + (r == null ? null : r.category)
                        + "' (known: " + String.join(", ", texts.keySet()) + ")");
            }
            if (routes.containsKey(r.category)) {
                throw new InvalidPolicyException(at + ".category: '" + r.category + "' is routed twice");
            }
            routes.put(r.category, WeightedExperts.of(at + ".experts", r.experts, spec, experts));
        }

        Encoder encoder = context.encoder();
        List<Category> categories = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : texts.entrySet()) {
            List<float[]> vectors = encoder.embedAll(e.getValue());
            categories.add(new Category(e.getKey(), vectors.toArray(float[][]::new), routes.get(e.getKey()),
                    expertsListing(e.getKey(), experts)));
        }
        return new CategoryStrategy(policyName, encoder, categories, temperature, uncertainty,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Category name to the texts that characterise it: the policy's description and examples, every example of an
     * expert listing the category, and the description of an expert that has only this category (a multi-category
     * expert's description describes the expert, not each category). A category with no text at all is represented
     * by its name.
     */
    static Map<String, List<String>> categoryTexts(CategoryStrategySpec cs, Map<String, ExpertInfo> experts) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        List<CategoryDefinition> defs = cs.categories == null ? List.of() : cs.categories;
        for (int i = 0; i < defs.size(); i++) {
            CategoryDefinition d = defs.get(i);
            String at = "spec.strategy.category.categories[" + i + "]";
            if (d == null || d.name == null || d.name.isBlank()) {
                throw new InvalidPolicyException(at + ".name: missing");
            }
            if (texts.containsKey(d.name)) {
                throw new InvalidPolicyException(at + ".name: category '" + d.name + "' is defined twice");
            }
            List<String> list = new ArrayList<>();
            addText(list, d.description);
            if (d.examples != null) {
                d.examples.forEach(x -> addText(list, x));
            }
            texts.put(d.name, list);
        }
        experts.values().stream().sorted(Comparator.comparing(ExpertInfo::name)).forEach(expert -> {
            for (String category : expert.categories().stream().sorted().toList()) {
                List<String> list = texts.computeIfAbsent(category, c -> new ArrayList<>());
                if (expert.categories().size() == 1) {
                    addText(list, expert.description());
                }
                expert.examples().forEach(x -> addText(list, x));
            }
        });
        texts.replaceAll((name, list) -> list.isEmpty() ? List.of(name) : List.copyOf(list));
        return texts;
    }

    private static void addText(List<String> list, String text) {
        if (text != null && !text.isBlank() && !list.contains(text)) {
            list.add(text);
        }
    }

    /** Experts declaring {@code category}: specialists first, then by known quality, cost and name. */
    private static List<String> expertsListing(String category, Map<String, ExpertInfo> experts) {
        return experts.values().stream().filter(e -> e.categories().contains(category))
                .sorted(Comparator.comparing(ExpertInfo::generalist)
                        .thenComparing(e -> -e.quality().getOrDefault(category, 0.0))
                        .thenComparingDouble(ExpertInfo::cost)
                        .thenComparing(ExpertInfo::name))
                .map(ExpertInfo::name).toList();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Category probabilities for {@code text}, in the order of {@link #categoryNames()}. */
    public double[] probabilities(String text) {
        float[] q = encoder.embed(text);
        double[] sims = new double[categories.length];
        for (int c = 0; c < categories.length; c++) {
            double best = -1;
            for (float[] v : categories[c].vectors()) {
                // Both sides are unit length, so the dot product is the cosine.
                best = Math.max(best, dot(q, v));
            }
            sims[c] = best;
        }
        return VectorMath.softmax(sims, temperature);
    }

    public List<String> categoryNames() {
        List<String> names = new ArrayList<>(categories.length);
        for (Category c : categories) {
            names.add(c.name());
        }
        return names;
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        double[] p = probabilities(query.routableText(false));
        int top = VectorMath.argmax(p);
        Category category = categories[top];
        double confidence = uncertainty.confidence(p);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int c = 0; c < categories.length; c++) {
            scores.put(categories[c].name(), p[c]);
        }

        Ranking chosen = new Ranking(policy);
        if (category.route() != null) {
            category.route().rank(chosen, category.route().pick(policy, random.getAsDouble()));
        } else {
            chosen.addAll(category.experts());
        }

        String reason = null;
        Ranking ranking = new Ranking(policy);
        boolean canFallBack = policy.isRoutable(policy.fallback()) || hasRoutableGeneralist(policy);
        if (uncertainty.unsure(confidence) && canFallBack) {
            reason = "low-confidence";
            ranking.add(policy.fallback());
            ranking.addGeneralists();
        } else if (chosen.isEmpty()) {
            reason = "no-ready-expert-for-category";
            ranking.add(policy.fallback());
            ranking.addGeneralists();
        }
        ranking.addAll(chosen.list());
        ranking.add(policy.fallback());
        ranking.addAll(othersByProbability(policy, p));
        return new Decision(policyName, TYPE, ranking.list(), category.name(), confidence, reason, scores, null);
    }

    private static boolean hasRoutableGeneralist(PolicyRoute policy) {
        for (ExpertInfo e : policy.experts().values()) {
            if (e.generalist() && e.routable()) {
                return true;
            }
        }
        return false;
    }

    /** Every routable expert by the highest probability among the categories it serves, for the failover tail. */
    private List<String> othersByProbability(PolicyRoute policy, double[] p) {
        Map<String, Double> best = new HashMap<>();
        for (int c = 0; c < categories.length; c++) {
            Category cat = categories[c];
            List<String> names = cat.route() != null ? cat.route().names() : cat.experts();
            for (String n : names) {
                best.merge(n, p[c], Math::max);
            }
        }
        return policy.routableExperts().stream()
                .sorted(Comparator.comparing((String n) -> -best.getOrDefault(n, 0.0)).thenComparing(n -> n))
                .toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
