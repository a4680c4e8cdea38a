package dev.switchboard.e2e.bench;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.api.v1alpha1.ExternalEndpoint;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.e2e.JvmPodProcess;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.ProjectPaths;
import dev.switchboard.testing.StandInExpert;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How fast the router's live table follows the cluster: from an ExpertModel turning Ready to the router listing
 * it as routable, and from its deletion to the router dropping it, with 10, 100 and 1,000 experts in the policy.
 * Runs the packaged router (Kubernetes mode) against the real API-server harness.
 *
 * <pre>mvn -B -q package -DskipTests && hack/bench.sh convergence [sizes=10,100,1000] [samples=20]</pre>
 */
public final class ConvergenceBenchmark {
    static final String NS = "convergence-bench";

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{10, 100, 1000};
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        KubernetesClient client = BenchCluster.withCrds(NS);
        Path logs = Files.createDirectories(ProjectPaths.root().resolve("e2e/target/bench"));
        try (StandInExpert upstream = new StandInExpert("bench", "127.0.0.1", FreePort.pick()).start()) {
            client.resource(policy()).serverSideApply();
            Map<String, String> env = BenchCluster.clientEnv(NS);
            env.put("SWITCHBOARD_MODE", "kubernetes");
            env.put("SWITCHBOARD_NAMESPACE", NS);
            env.put("SWITCHBOARD_POLICY", "bench");
            env.put("SWITCHBOARD_AUTH_MODE", "open");
            int port = FreePort.pick();
            JvmPodProcess router = new JvmPodProcess(ProjectPaths.root().resolve("router-service/target/quarkus-app/quarkus-run.jar"),
                    port, env, logs.resolve("convergence-router.log"), "768m");
            HttpClient http = HttpClient.newHttpClient();
            URI models = URI.create("http://127.0.0.1:" + port + "/v1/models");
            try {
                waitUntil(http, models, body -> body.contains("\"bench-router\"") || body.contains("data"), Duration.ofSeconds(90));
                int existing = 0;
                System.out.println("experts  Ready->routable                          deleted->unroutable");
                for (int size : sizes) {
                    for (; existing < size; existing++) {
                        createExpert(client, "e" + existing, upstream.baseUrl(), true);
                    }
                    String last = "\"e" + (size - 1) + "\"";
                    waitUntil(http, models, body -> body.contains(last), Duration.ofSeconds(120));
                    List<Double> ready = new ArrayList<>();
                    List<Double> gone = new ArrayList<>();
                    for (int s = 0; s < samples; s++) {
                        String name = "probe-" + size + "-" + s;
                        createExpert(client, name, upstream.baseUrl(), false);
                        Thread.sleep(300); // the router has seen it, not routable
                        long t0 = System.nanoTime();
                        setReady(client, name, true);
                        waitUntil(http, models, body -> body.contains("\"" + name + "\""), Duration.ofSeconds(30));
                        ready.add((System.nanoTime() - t0) / 1e6);
                        long t1 = System.nanoTime();
                        client.resources(ExpertModel.class).inNamespace(NS).withName(name).delete();
                        waitUntil(http, models, body -> !body.contains("\"" + name + "\""), Duration.ofSeconds(30));
                        gone.add((System.nanoTime() - t1) / 1e6);
                    }
                    System.out.printf("%7d  %-40s %s%n", size, Percentiles.of(ready), Percentiles.of(gone));
                }
            } finally {
                router.stop(Duration.ofSeconds(10));
                client.resources(ExpertModel.class).inNamespace(NS).delete();
            }
        }
        System.exit(0);
    }

    static RoutingPolicy policy() {
        RoutingPolicy policy = new RoutingPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("bench").withNamespace(NS).build());
        policy.setSpec(new dev.switchboard.api.v1alpha1.RoutingPolicySpec());
        policy.getSpec().modelName = "bench-router";
        policy.getSpec().experts = new dev.switchboard.api.v1alpha1.ExpertSelection();
        policy.getSpec().experts.selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .withMatchLabels(Map.of("bench", "convergence")).build();
        policy.getSpec().strategy = new dev.switchboard.api.v1alpha1.StrategySpec();
        policy.getSpec().strategy.type = "semantic";
        policy.getSpec().embedding = new dev.switchboard.api.v1alpha1.EmbeddingSpec();
        policy.getSpec().embedding.builtin = "hashing";
        return policy;
    }

    static void createExpert(KubernetesClient client, String name, String url, boolean ready) {
        ExpertModel expert = new ExpertModel();
        expert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withLabels(Map.of("bench", "convergence")).build());
        expert.setSpec(new ExpertModelSpec());
        expert.getSpec().external = new ExternalEndpoint();
        expert.getSpec().external.url = url;
        expert.getSpec().expertise = new dev.switchboard.api.v1alpha1.Expertise();
        expert.getSpec().expertise.description = "expert " + name + " for topic " + name;
        client.resource(expert).create();
        setReady(client, name, ready);
    }

    static void setReady(KubernetesClient client, String name, boolean ready) {
        ExpertModel expert = client.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
        ExpertModelStatus status = new ExpertModelStatus();
        status.observedGeneration = expert.getMetadata().getGeneration();
        status.phase = ready ? "Ready" : "Degraded";
        status.conditions.add(new ConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withReason(ready ? "EndpointReachable" : "EndpointUnreachable").withMessage("set by the benchmark")
                .withLastTransitionTime(Instant.now().toString()).build());
        expert.setStatus(status);
        client.resource(expert).updateStatus();
    }

    static void waitUntil(HttpClient http, URI uri, Predicate<String> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && condition.test(response.body())) {
                    return;
                }
            } catch (java.io.IOException e) {
                // router still starting
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("timed out waiting on " + uri);
    }
}
