package dev.switchboard.engine.strategy;

import dev.switchboard.api.v1alpha1.LearnedArtifactRef;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.StrategySpec;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builders of synthetic experts, policies and contexts for the learned-strategy tests. */
public final class Synthetic {
    public static final Encoder ENCODER = new TagEncoder();

    private Synthetic() {
    }

    public static ExpertInfo expert(String name, double cost, boolean routable) {
        return new ExpertInfo(name, "default", name, name,
                routable ? List.of(new Endpoint("http://127.0.0.1:9/v1")) : List.of(), null, Set.of(),
                "expert " + name, List.of(), false, Map.of(), cost);
    }

    public static Map<String, ExpertInfo> experts(ExpertInfo... infos) {
        Map<String, ExpertInfo> m = new LinkedHashMap<>();
        for (ExpertInfo e : infos) {
            m.put(e.name(), e);
        }
        return m;
    }

    public static PolicyRoute policy(RoutingStrategy s, Map<String, ExpertInfo> experts, String fallback) {
        return new PolicyRoute("p", "default", "p", s, experts, fallback, PolicyRoute.FailoverPolicy.DEFAULT,
                PolicyRoute.Timeouts.DEFAULT);
    }

    public static RoutingPolicySpec spec(String type, String configMap) {
        RoutingPolicySpec spec = new RoutingPolicySpec();
        spec.strategy = new StrategySpec();
        spec.strategy.type = type;
        if (configMap != null) {
            spec.strategy.learned = new LearnedArtifactRef();
            spec.strategy.learned.configMapRef = configMap;
        }
        return spec;
    }

    public static StrategyContext context(Encoder encoder, Map<String, String> configMaps) {
        return new StrategyContext() {
            @Override
            public Encoder encoder() {
                return encoder;
            }

            @Override
            public Optional<String> artifact(String name, String key) {
                return Optional.ofNullable(configMaps.get(name + "/" + key));
            }
        };
    }

    /** x and s for queries "f{tag} q{i}" where scores come from {@code scorer(tag, i)}. */
    public record Data(List<String> texts, float[][] x, double[][] s, String[] tags) {
    }

    public interface Scorer {
        double[] scores(int tag, int i);
    }

    public static Data data(int tags, int perTag, String extraWords, Scorer scorer) {
        List<String> texts = new java.util.ArrayList<>();
        List<double[]> s = new java.util.ArrayList<>();
        List<String> tagNames = new java.util.ArrayList<>();
        for (int t = 0; t < tags; t++) {
            for (int i = 0; i < perTag; i++) {
                texts.add("f" + t + " " + extraWords + " q" + t + "x" + i);
                s.add(scorer.scores(t, i));
                tagNames.add("tag" + t);
            }
        }
        float[][] x = texts.stream().map(ENCODER::embed).toArray(float[][]::new);
        return new Data(texts, x, s.toArray(double[][]::new), tagNames.toArray(String[]::new));
    }
}
