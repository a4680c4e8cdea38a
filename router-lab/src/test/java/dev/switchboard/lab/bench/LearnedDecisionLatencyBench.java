package dev.switchboard.lab.bench;

import dev.switchboard.api.v1alpha1.ClassifierStrategySpec;
import dev.switchboard.api.v1alpha1.CostAwareStrategySpec;
import dev.switchboard.api.v1alpha1.LearnedArtifactRef;
import dev.switchboard.api.v1alpha1.MetaLlmStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.StrategySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.JdkModelClient;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.encoder.Encoders;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.lab.data.LabeledQuery;
import dev.switchboard.lab.data.RoutingDataset;
import dev.switchboard.testing.StandInMetaModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Encoder throughput and per-strategy decision latency (p50/p99). Run single-core, e.g.
 * {@code taskset -c 0 java -XX:ActiveProcessorCount=1 -cp ... LearnedDecisionLatencyBench queries.jsonl a.json b.json}.
 * Decision latency is measured on pre-computed embeddings (what the strategy adds on top of the encoder); metaLLM
 * against an in-process stand-in meta model that answers at once, with the first artifact's experts as tokens.
 */
public final class LearnedDecisionLatencyBench {
    public static void main(String[] args) throws Exception {
        List<String> texts = RoutingDataset.read(Path.of(args[0])).stream().map(LabeledQuery::text).limit(600).toList();
        Encoder miniLm = Encoders.miniLm();
        for (int i = 0; i < 50; i++) {
            miniLm.embed(texts.get(i)); // warm-up
        }
        Map<String, float[]> vectors = new HashMap<>();
        long[] embedNs = new long[texts.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i++) {
            long s = System.nanoTime();
            vectors.put(texts.get(i), miniLm.embed(texts.get(i)));
            embedNs[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("encoder %s: %.1f queries/s, p50 %.2f ms, p99 %.2f ms (%d mmlu-pro questions)%n",
                miniLm.id(), texts.size() / seconds, pct(embedNs, 50), pct(embedNs, 99), texts.size());
        Encoder lookup = new Encoder() {
            public String id() {
                return miniLm.id();
            }

            public int dimension() {
                return miniLm.dimension();
            }

            public float[] embed(String text) {
                return vectors.get(text);
            }
        };
        for (int f = 1; f < args.length; f++) {
            String json = Files.readString(Path.of(args[f]));
            RouterArtifact art = RouterArtifact.parse(json, args[f]);
            Map<String, ExpertInfo> experts = new LinkedHashMap<>();
            for (String e : art.experts) {
                experts.put(e, new ExpertInfo(e, "ns", e, e, List.of(new Endpoint("http://127.0.0.1:9/v1")), null,
                        bestOn(art, e), "", List.of(), false, Map.of(), e.contains("70B") ? 10 : 1));
            }
            StrategyContext ctx = new StrategyContext() {
                public Encoder encoder() {
                    return lookup;
                }

                public Optional<String> artifact(String name, String key) {
                    return Optional.of(json);
                }
            };
            for (String type : List.of(art.kind, "costAware")) {
                RoutingPolicySpec spec = new RoutingPolicySpec();
                spec.strategy = new StrategySpec();
                spec.strategy.type = type;
                spec.strategy.learned = new LearnedArtifactRef();
                spec.strategy.learned.configMapRef = "cm";
                if (type.equals("classifier")) {
                    spec.strategy.classifier = new ClassifierStrategySpec();
                }
                if (type.equals("costAware")) {
                    spec.strategy.costAware = new CostAwareStrategySpec();
                    spec.strategy.costAware.costWeight = 0.1;
                }
                RoutingStrategy s = StrategyRegistry.standard().builder(type).orElseThrow().build("p", spec, experts, ctx);
                long[] ns = measure(s, experts, texts, false);
                System.out.printf("%-10s (%s artifact, %d experts): decision p50 %.1f us, p99 %.1f us (+ encoder)%n",
                        type, art.kind, art.experts.size(), pct(ns, 50) * 1000, pct(ns, 99) * 1000);
            }
        }
        List<String> metaExperts = args.length > 1
                ? RouterArtifact.parse(Files.readString(Path.of(args[1])), args[1]).experts
                : List.of("math", "code", "law", "medicine", "general");
        metaLlm(metaExperts, texts);
    }

    /**
     * metaLLM against {@link StandInMetaModel} on loopback, which answers at once: the router's side of a decision
     * (prompt, JSON, HTTP round trip on the JDK client, parsing the logprobs). SELF is offered but never picked.
     */
    private static void metaLlm(List<String> expertNames, List<String> texts) throws Exception {
        try (StandInMetaModel meta = StandInMetaModel.start(
                (user, allowed) -> allowed.get(Math.floorMod(user.hashCode(), allowed.size() - 1)), false)) {
            Map<String, ExpertInfo> experts = new LinkedHashMap<>();
            experts.put("meta", new ExpertInfo("meta", "ns", "meta", "meta", List.of(new Endpoint(meta.baseUrl())),
                    null, Set.of(), "generalist, routes", List.of(), true, Map.of(), 1));
            for (String e : expertNames) {
                experts.put(e, new ExpertInfo(e, "ns", e, e, List.of(new Endpoint("http://127.0.0.1:9/v1")), null,
                        Set.of(), "expert model " + e, List.of(), false, Map.of(), 1));
            }
            RoutingPolicySpec spec = new RoutingPolicySpec();
            spec.strategy = new StrategySpec();
            spec.strategy.type = "metaLLM";
            spec.strategy.metaLLM = new MetaLlmStrategySpec();
            spec.strategy.metaLLM.expert = "meta";
            RoutingStrategy s = StrategyRegistry.standard(new JdkModelClient()).builder("metaLLM").orElseThrow()
                    .build("p", spec, experts, null);
            long[] ns = measure(s, experts, texts, true);
            System.out.printf("%-10s (%d expert tokens + SELF, loopback stand-in answering at once): decision p50 "
                            + "%.2f ms, p99 %.2f ms (+ the meta model's prefill and one-token decode)%n", "metaLLM",
                    expertNames.size(), pct(ns, 50), pct(ns, 99));
        }
    }

    /**
     * Wall-clock time of each decision over {@code texts}, after three warm-up passes. {@code strict}: a decision
     * that falls back (e.g. the stand-in unreachable) stops the bench, which would otherwise time a failure path.
     */
    private static long[] measure(RoutingStrategy s, Map<String, ExpertInfo> experts, List<String> texts,
                                  boolean strict) {
        PolicyRoute policy = new PolicyRoute("p", "ns", "p", s, experts, null, PolicyRoute.FailoverPolicy.DEFAULT,
                PolicyRoute.Timeouts.DEFAULT);
        for (int w = 0; w < 3; w++) {
            for (String t : texts) {
                check(s.decide(new Query(t), policy), strict);
            }
        }
        long[] ns = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            long s0 = System.nanoTime();
            Decision d = s.decide(new Query(texts.get(i)), policy);
            ns[i] = System.nanoTime() - s0;
            check(d, strict);
        }
        return ns;
    }

    private static void check(Decision d, boolean strict) {
        if (strict && d.fallbackReason() != null) {
            throw new IllegalStateException("decision fell back: " + d.fallbackReason());
        }
    }

    /** For a category artifact: the categories on which {@code expert} has the best training score (its expertise). */
    private static Set<String> bestOn(RouterArtifact art, String expert) {
        if (!art.kind.equals("category")) {
            return Set.of();
        }
        Set<String> out = new java.util.HashSet<>();
        int j = art.experts.indexOf(expert);
        for (int c = 0; c < art.categories.size(); c++) {
            double[] row = art.categoryScores[c];
            if (Arrays.stream(row).max().orElse(-1) == row[j]) {
                out.add(art.categories.get(c));
            }
        }
        return out;
    }

    private static double pct(long[] ns, int p) {
        long[] c = ns.clone();
        Arrays.sort(c);
        return c[Math.min(c.length - 1, (int) Math.ceil(p / 100.0 * c.length) - 1)] / 1e6;
    }
}
