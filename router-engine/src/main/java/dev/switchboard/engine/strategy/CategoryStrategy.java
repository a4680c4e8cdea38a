package dev.switchboard.engine.strategy;

import dev.switchboard.api.rules.PolicyRules;
import dev.switchboard.api.rules.Problem;
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
import dev.switchboard.engine.learned.CategoryPredictor;
import dev.switchboard.engine.learned.RouterArtifact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Two-step Composition of Experts: classify the query into a category, then send it to that category's experts
 * (strategy.category.routes, else the experts listing it in expertise.categories). The classifier is either the
 * nearest category texts (descriptions and examples, embedded once at build time) or, when strategy.learned names
 * a {@code category} artifact, a trained softmax classifier's posteriors. Unsure classifications and categories
 * without a ready expert go to the policy fallback.
 */
public final class CategoryStrategy implements RoutingStrategy {
    public static final String TYPE = "category";
    public static final double DEFAULT_TEMPERATURE = 0.05;

    /** One category and the experts that answer it (route, else those listing it; both may be empty). */
    record Category(String name, WeightedExperts route, List<String> experts) {
        /** Where a confident decision for this category goes: its route's experts, else the experts listing it. */
        List<String> targets() {
            return route != null ? route.names() : experts;
        }
    }

    private final String policyName;
    private final Encoder encoder;
    private final Category[] categories;
    /** Embedding to one probability per category, in the order of {@link #categories}. */
    private final Function<float[], double[]> classifier;
    private final Uncertainty uncertainty;
    private final DoubleSupplier random;

    CategoryStrategy(String policyName, Encoder encoder, List<Category> categories,
                     Function<float[], double[]> classifier, Uncertainty uncertainty, DoubleSupplier random) {
        this.policyName = policyName;
        this.encoder = encoder;
        this.categories = categories.toArray(Category[]::new);
        this.classifier = classifier;
        this.uncertainty = uncertainty;
        this.random = random;
    }

    public static CategoryStrategy build(String policyName, RoutingPolicySpec spec, Map<String, ExpertInfo> experts,
                                         StrategyContext context) {
        CategoryStrategySpec cs = spec.strategy.category == null ? new CategoryStrategySpec() : spec.strategy.category;
        Uncertainty uncertainty = Uncertainty.of(spec.strategy.uncertainty);
        if (spec.strategy.learned != null) {
            return buildLearned(policyName, spec, cs, experts, context, uncertainty);
        }
        double temperature = cs.temperature == null ? DEFAULT_TEMPERATURE : cs.temperature;
        if (!(temperature > 0)) {
            throw new InvalidPolicyException("spec.strategy.category.temperature: must be > 0, got " + temperature);
        }
        // PolicyRules has checked that there are categories and that every route's category is one of them.
        Map<String, List<String>> texts = categoryTexts(cs, experts);
        Map<String, WeightedExperts> routes = routes(cs);

        Encoder encoder = context.encoder();
        List<Category> categories = new ArrayList<>();
        float[][][] vectors = new float[texts.size()][][];
        for (Map.Entry<String, List<String>> e : texts.entrySet()) {
            vectors[categories.size()] = encoder.embedAll(e.getValue()).toArray(float[][]::new);
            categories.add(new Category(e.getKey(), routes.get(e.getKey()), expertsListing(e.getKey(), experts)));
        }
        return new CategoryStrategy(policyName, encoder, categories, q -> nearestTexts(vectors, temperature, q),
                uncertainty, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The trained classifier's categories are the policy's categories: the artifact decides which exist, the policy
     * only maps them to experts. Defining or routing a category the artifact does not know is an error (it could
     * never be predicted); an expert listing such a category in its expertise is simply never chosen for it.
     */
    private static CategoryStrategy buildLearned(String policyName, RoutingPolicySpec spec, CategoryStrategySpec cs,
                                                 Map<String, ExpertInfo> experts, StrategyContext context,
                                                 Uncertainty uncertainty) {
        RouterArtifact artifact = LearnedStrategies.load(spec, context, TYPE);
        CategoryPredictor predictor = artifact.categoryPredictor();
        String key = spec.strategy.learned.keyOrDefault();
        String known = "the trained classifier " + spec.strategy.learned.configMapRef + "/" + key + " knows";
        List<String> names = predictor.categories();
        List<CategoryDefinition> defs = cs.categories == null ? List.of() : cs.categories;
        for (int i = 0; i < defs.size(); i++) {
            CategoryDefinition d = defs.get(i);
            if (d == null || !names.contains(d.name)) {
                throw new InvalidPolicyException("spec.strategy.category.categories[" + i + "].name: unknown category '"
                        + (d == null ? null : d.name) + "' (" + known + ": " + String.join(", ", names) + ")");
            }
        }
        List<Problem> unknown = PolicyRules.unknownRouteCategories(cs, names, known);
        if (!unknown.isEmpty()) {
            throw new InvalidPolicyException(unknown.get(0).toString());
        }
        Map<String, WeightedExperts> routes = routes(cs);
        List<Category> categories = new ArrayList<>();
        for (String name : names) {
            categories.add(new Category(name, routes.get(name), expertsListing(name, experts)));
        }
        return new CategoryStrategy(policyName, context.encoder(), categories, predictor::posteriors, uncertainty,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** strategy.category.routes by category (checked by PolicyRules: categories unique, experts valid). */
    private static Map<String, WeightedExperts> routes(CategoryStrategySpec cs) {
        Map<String, WeightedExperts> routes = new HashMap<>();
        for (CategoryRoute r : cs.routes == null ? List.<CategoryRoute>of() : cs.routes) {
            routes.put(r.category, WeightedExperts.of(r.experts));
        }
        return routes;
    }

    /**
     * Category name to the texts that characterise it: the policy's description and examples, every example of an
     * expert listing the category, and the description of an expert that has only this category (a multi-category
     * expert's description describes the expert, not each category). A category with no text at all is represented
     * by its name.
     */
    static Map<String, List<String>> categoryTexts(CategoryStrategySpec cs, Map<String, ExpertInfo> experts) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        // names set and unique: checked by PolicyRules
        for (CategoryDefinition d : cs.categories == null ? List.<CategoryDefinition>of() : cs.categories) {
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
        return classifier.apply(encoder.embed(text));
    }

    /** softmax(best cosine to each category's texts / temperature). */
    private static double[] nearestTexts(float[][][] vectors, double temperature, float[] q) {
        double[] sims = new double[vectors.length];
        for (int c = 0; c < vectors.length; c++) {
            double best = -1;
            for (float[] v : vectors[c]) {
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

    /**
     * Each category the classifier can predict (the artifact's, or the zero-shot texts') to its route's experts,
     * else the experts listing it; a category neither covers goes where {@link #decide} sends it, spec.fallback,
     * else the policy's generalists (empty when there are none).
     */
    @Override
    public Map<String, List<String>> categoryRoutes(PolicyRoute policy) {
        List<String> uncovered = policy.fallback() != null ? List.of(policy.fallback())
                : policy.experts().values().stream().filter(ExpertInfo::generalist).map(ExpertInfo::name).sorted()
                        .toList();
        Map<String, List<String>> routes = new LinkedHashMap<>();
        for (Category c : categories) {
            routes.put(c.name(), c.targets().isEmpty() ? uncovered : c.targets());
        }
        return routes;
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
        } else if (category.route() == null && category.experts().isEmpty()) {
            reason = "no-expert-for-category '" + category.name() + "': no route and no expert's "
                    + "expertise.categories lists it";
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
            for (String n : categories[c].targets()) {
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
