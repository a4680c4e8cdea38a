package dev.switchboard.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.encoder.Encoders;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decision latency of the category (CoE), semantic and static strategies over the five deployed example experts
 * (deploy/examples/experts, without the external one), with the real all-MiniLM-L6-v2 encoder and NO embedding
 * cache, so every decision embeds its query. One thread; short prompts cycled. Prints p50/p99/mean per strategy,
 * the same with embeddings precomputed (the strategy's own cost), and the encoder alone with one ONNX intra-op
 * thread versus all cores (set the router's with -Dswitchboard.encoder.threads / SWITCHBOARD_ENCODER_THREADS).
 *
 * <p>Run from the repository root:
 * <pre>
 *   hack/bench-decisions.sh            # builds, then runs with N=2000
 *   hack/bench-decisions.sh 5000       # N decisions per strategy
 *   ONE_CORE=1 hack/bench-decisions.sh # pinned to one CPU with taskset
 * </pre>
 * (equivalently: {@code mvn -B -q -pl router-engine -am install -DskipTests}, then run this class with
 * router-engine/target/test-classes, target/classes and the module's test classpath.)
 */
public final class DecisionLatencyBenchmark {
    private static final List<String> PROMPTS = List.of(
            "What is the integral of 2x?",
            "Solve 5x - 3 = 12 for x.",
            "How many prime numbers are below 50?",
            "What is 17% of 240?",
            "Write a Java method that sorts a list",
            "How do I reverse a string in Python?",
            "Why is my SQL join returning duplicates?",
            "Explain async/await in JavaScript.",
            "What are the side effects of ibuprofen?",
            "Is it safe to take paracetamol with alcohol?",
            "What causes high blood pressure?",
            "How is type 2 diabetes diagnosed?",
            "Can my landlord enter without notice?",
            "What is the statute of limitations for fraud?",
            "Do I need a lawyer to write a will?",
            "Is a non-compete clause enforceable?",
            "hi, how are you?",
            "Write a haiku about the sea.",
            "Summarise the French revolution in two sentences.",
            "Recommend a good science fiction book.");

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private DecisionLatencyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int warmup = Math.max(200, n / 5);
        Path examples = Path.of(args.length > 1 ? args[1] : "deploy/examples");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

        List<ExpertModel> experts = new ArrayList<>();
        for (String name : List.of("math", "code", "medical", "legal", "generalist")) {
            String file = name.equals("legal") ? "legal-expert.yaml" : name + "-expert.yaml";
            experts.add(yaml.readValue(examples.resolve("experts").resolve(file).toFile(), ExpertModel.class));
        }
        RoutingPolicy category = yaml.readValue(examples.resolve("policies/category-policy.yaml").toFile(),
                RoutingPolicy.class);
        RoutingPolicy semantic = yaml.readValue(examples.resolve("policies/semantic-policy.yaml").toFile(),
                RoutingPolicy.class);
        RoutingPolicy fixed = yaml.readValue("""
                metadata: {name: static}
                spec:
                  modelName: switchboard-static
                  experts: {names: [math, code, medical, legal, generalist]}
                  strategy:
                    type: static
                    static:
                      experts: [{name: generalist, weight: 60}, {name: math, weight: 10}, {name: code, weight: 10},
                                {name: medical, weight: 10}, {name: legal, weight: 10}]
                  fallback: generalist
                """, RoutingPolicy.class);

        long t0 = System.nanoTime();
        dev.switchboard.engine.encoder.MiniLmEncoder raw = Encoders.miniLm();
        raw.embed("load");
        System.out.printf("encoder %s loaded in %.0f ms (JVM processors: %d, ONNX intra-op threads: %s)%n",
                raw.id(), (System.nanoTime() - t0) / 1e6, Runtime.getRuntime().availableProcessors(),
                Encoders.miniLm().intraOpThreads() == 0 ? "all cores" : Encoders.miniLm().intraOpThreads());

        RoutingTable live = table(experts, List.of(category, semantic, fixed), raw);
        Map<String, float[]> precomputed = new HashMap<>();
        for (String p : PROMPTS) {
            precomputed.put(p, raw.embed(p));
        }
        Encoder lookup = new Encoder() {
            @Override
            public String id() {
                return raw.id();
            }

            @Override
            public int dimension() {
                return raw.dimension();
            }

            @Override
            public float[] embed(String text) {
                float[] v = precomputed.get(text);
                return v != null ? v : raw.embed(text);
            }
        };
        RoutingTable strategyOnly = table(experts, List.of(category, semantic, fixed), lookup);

        System.out.printf("%nwall-clock and CPU time of the deciding thread (CPU time is immune to other processes)%n");
        System.out.printf("%-22s %10s %10s %10s %10s %10s %10s   (N=%d, 1 thread, %d distinct prompts)%n",
                "strategy", "p50 ms", "p99 ms", "mean ms", "max ms", "cpu p50", "cpu p99", n, PROMPTS.size());
        for (String model : List.of("switchboard-coe", "switchboard-semantic", "switchboard-static")) {
            PolicyRoute route = live.policy(model).orElseThrow();
            run(route, warmup);
            report(route.strategy().type() + " (embed+decide)", run(route, n));
        }
        for (String model : List.of("switchboard-coe", "switchboard-semantic")) {
            PolicyRoute route = strategyOnly.policy(model).orElseThrow();
            run(route, warmup);
            report(route.strategy().type() + " (decide only)", run(route, n));
        }

        // Encoder alone: sequential single-text embeddings on this thread, per ONNX intra-op thread setting.
        System.out.printf("%n%-22s %10s %10s %10s %10s %10s %10s %12s%n", "encoder", "p50 ms", "p99 ms", "mean ms",
                "max ms", "cpu p50", "cpu p99", "embeddings/s");
        for (int threads : new int[]{1, 0}) {
            Encoder encoder = threads == raw.intraOpThreads()
                    ? raw : Encoders.newMiniLm(threads);
            long[] nanos = new long[n];
            long[] cpu = new long[n];
            for (int i = 0; i < warmup + n; i++) {
                String p = PROMPTS.get(i % PROMPTS.size());
                long c = THREADS.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                encoder.embed(p);
                if (i >= warmup) {
                    nanos[i - warmup] = System.nanoTime() - s;
                    cpu[i - warmup] = THREADS.getCurrentThreadCpuTime() - c;
                }
            }
            double seconds = Arrays.stream(nanos).sum() / 1e9;
            // With all cores, ONNX works on its own pool threads too, so the caller's CPU time understates the cost.
            report(String.format("minilm, %s", threads == 0 ? "all cores" : threads + " thread"),
                    new long[][]{nanos, cpu}, String.format(" %12.0f", n / seconds));
        }
    }

    private static RoutingTable table(List<ExpertModel> experts, List<RoutingPolicy> policies, Encoder encoder) {
        BuildResult result = RoutingTableBuilder.build(1, experts, policies,
                e -> List.of(new Endpoint("http://127.0.0.1:8000/v1")), SecretResolver.NONE, ArtifactSource.NONE,
                StrategyRegistry.standard(), (ns, spec, secrets) -> encoder);
        if (!result.errors().isEmpty()) {
            throw new IllegalStateException("benchmark policies do not build: " + result.errors());
        }
        return result.table();
    }

    /** Wall-clock nanoseconds per decision, then the calling thread's CPU nanoseconds per decision. */
    private static long[][] run(PolicyRoute route, int n) {
        long[] nanos = new long[n];
        long[] cpu = new long[n];
        int sink = 0;
        for (int i = 0; i < n; i++) {
            Query q = new Query(PROMPTS.get(i % PROMPTS.size()));
            long c = THREADS.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            sink += route.strategy().decide(q, route).ranked().size();
            nanos[i] = System.nanoTime() - s;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return new long[][]{nanos, cpu};
    }

    private static void report(String label, long[][] wallAndCpu) {
        report(label, wallAndCpu, "");
    }

    private static void report(String label, long[][] wallAndCpu, String suffix) {
        long[] sorted = wallAndCpu[0].clone();
        Arrays.sort(sorted);
        long[] cpu = wallAndCpu[1].clone();
        Arrays.sort(cpu);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf("%-22s %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f%s%n", label, pct(sorted, 0.50) / 1e6,
                pct(sorted, 0.99) / 1e6, mean / 1e6, sorted[sorted.length - 1] / 1e6, pct(cpu, 0.50) / 1e6,
                pct(cpu, 0.99) / 1e6, suffix);
    }

    private static long pct(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
