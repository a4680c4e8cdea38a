package dev.switchboard.e2e.bench;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.ModelSource;
import dev.switchboard.e2e.JvmPodProcess;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator reconciling many ExpertModels at once on the real API-server harness: time until every
 * expert has its Deployment and a status for its generation (reconcile throughput), and the operator's memory.
 *
 * <pre>mvn -B -q package -DskipTests && hack/bench.sh operator [experts=1000]</pre>
 */
public final class OperatorScaleBenchmark {
    static final String NS = "operator-bench";

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        KubernetesClient client = BenchCluster.withCrds(NS);
        Path logs = Files.createDirectories(ProjectPaths.root().resolve("e2e/target/bench"));
        Map<String, String> env = BenchCluster.clientEnv(NS);
        env.put("QUARKUS_OPERATOR_SDK_NAMESPACES", NS);
        int port = FreePort.pick();
        JvmPodProcess operator = new JvmPodProcess(ProjectPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar"),
                port, env, logs.resolve("operator-scale.log"), "512m");
        HttpClient http = HttpClient.newHttpClient();
        try {
            waitHealthy(http, port);
            long idleRss = rssKb(operator.pid());
            long t0 = System.nanoTime();
            ExecutorService creators = Executors.newFixedThreadPool(8);
            for (int i = 0; i < count; i++) {
                int n = i;
                creators.submit(() -> client.resource(expert("x" + n)).create());
            }
            creators.shutdown();
            creators.awaitTermination(5, TimeUnit.MINUTES);
            double created = (System.nanoTime() - t0) / 1e9;
            long peakRss = idleRss;
            while (true) {
                long deployments = client.apps().deployments().inNamespace(NS).list().getItems().size();
                long reconciled = client.resources(ExpertModel.class).inNamespace(NS).list().getItems().stream()
                        .filter(e -> e.getStatus() != null && e.getStatus().observedGeneration != null
                                && e.getStatus().observedGeneration.equals(e.getMetadata().getGeneration()))
                        .count();
                peakRss = Math.max(peakRss, rssKb(operator.pid()));
                if (deployments >= count && reconciled >= count) {
                    break;
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("not converged: " + deployments + " deployments, " + reconciled + " statuses");
                }
                Thread.sleep(500);
            }
            double total = (System.nanoTime() - t0) / 1e9;
            System.out.printf("experts=%d created in %.1f s; all reconciled (Deployment + status) after %.1f s "
                            + "=> %.0f experts/s%n", count, created, total, count / total);
            System.out.printf("operator RSS: idle %d MiB, peak %d MiB, after %d MiB; heap used after: %.0f MiB%n",
                    idleRss / 1024, peakRss / 1024, rssKb(operator.pid()) / 1024, heapUsedMiB(http, port));
        } finally {
            operator.stop(Duration.ofSeconds(10));
            client.resources(ExpertModel.class).inNamespace(NS).delete();
            client.apps().deployments().inNamespace(NS).delete();
        }
        System.exit(0);
    }

    static ExpertModel expert(String name) {
        ExpertModel expert = new ExpertModel();
        expert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        expert.setSpec(new ExpertModelSpec());
        expert.getSpec().model = new ModelSource();
        expert.getSpec().model.uri = "hf://org/model-" + name;
        return expert;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    static double heapUsedMiB(HttpClient http, int port) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
    }

    static void waitHealthy(HttpClient http, int port) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("operator not ready");
    }
}
