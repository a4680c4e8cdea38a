package dev.switchboard.e2e;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.testing.ProjectPaths;
import dev.switchboard.testing.StandInExpert;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Composition economics on the simulated GPU cluster, with the packaged operator and router: twenty LoRA adapter
 * experts on one base (one GPU per replica), loaded on every pod, reloaded after a pod restart, unloaded when
 * deleted, Degraded when the base goes; and an expert scaled from zero by the built-in autoscaler while the router
 * holds a burst of requests for it. Prints the figures of docs/benchmarks.md ("Composition economics").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EconomicsEndToEndTest {
    static final String NS = "econ";
    static final List<String> TOPICS = List.of("astronomy", "baking", "chess", "dentistry", "ecology", "finance",
            "geology", "history", "immunology", "jazz", "knitting", "linguistics", "meteorology", "nutrition", "opera",
            "poetry", "quantum", "robotics", "sailing", "taxation");
    static final long LOAD_TIME_MS = 3000;
    static SwitchboardOnSimCluster system;
    static KubernetesClient client;
    static ServiceIngress router;
    static ServiceIngress coldRouter;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        system = SwitchboardOnSimCluster.start(ProjectPaths.root().resolve("e2e/target/sim-cluster-economics"));
        client = system.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    }

    @AfterAll
    static void stop() {
        for (ServiceIngress i : new ServiceIngress[]{router, coldRouter}) {
            if (i != null) {
                i.close();
            }
        }
        if (system != null) {
            system.close();
        }
    }

    static void apply(String yaml) {
        Object o = Serialization.unmarshal(yaml);
        client.resource((io.fabric8.kubernetes.api.model.HasMetadata) o).inNamespace(NS).serverSideApply();
    }

    static ExpertModel expert(String name) {
        return client.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    static String condition(String name, String type) {
        ExpertModel e = expert(name);
        return e == null || e.getStatus() == null ? "" : e.getStatus().condition(type)
                .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).orElse("");
    }

    static List<Pod> basePods() {
        return client.pods().inNamespace(NS).withLabel("switchboard.dev/expert", "llama").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** The stand-ins running the base's pods now, by pod name. */
    static java.util.Map<String, StandInExpert> baseStandIns() {
        java.util.Map<String, StandInExpert> out = new java.util.TreeMap<>();
        system.agent().running().forEach((key, process) -> {
            if (key.startsWith(NS + "/llama-") && process instanceof StandInPodProcess s) {
                out.put(key.substring(NS.length() + 1), s.expert());
            }
        });
        return out;
    }

    static HttpResponse<String> chat(ServiceIngress ingress, String model, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ingress.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(90)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat(model, text, false))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String adapterYaml(String topic) {
        return """
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: lora-%s, labels: {switchboard.dev/composition: loras}}
                spec:
                  adapter: {base: llama, uri: "hf://example/llama-%s-lora", rank: 16}
                  expertise: {categories: [%s]}
                """.formatted(topic, topic, topic);
    }

    @Test
    @Order(1)
    void twentyAdaptersOnOneBaseAreLoadedOnEveryPodAndRoutedByCategory() throws Exception {
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: llama, labels: {switchboard.dev/composition: loras}}
                spec:
                  model: {uri: "hf://meta-llama/Llama-3.1-8B-Instruct"}
                  replicas: 2
                  resources: {gpus: 1}
                  engine: {lora: {maxLoras: 32, maxLoraRank: 16}}
                  expertise: {generalist: true}
                """);
        StringBuilder categories = new StringBuilder();
        for (String t : TOPICS) {
            categories.append("        - {name: ").append(t).append(", description: \"Questions about ").append(t)
                    .append(".\", examples: [\"Tell me about ").append(t).append("\", \"A question on ").append(t)
                    .append("\"]}\n");
        }
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: loras}
                spec:
                  modelName: loras
                  experts: {selector: {matchLabels: {switchboard.dev/composition: loras}}}
                  fallback: llama
                  embedding: {builtin: hashing}
                  strategy:
                    type: category
                    category:
                      categories:
                """ + categories);
        await().atMost(Duration.ofSeconds(120)).until(() -> condition("llama", "Ready").startsWith("True"));
        router = system.ingress(NS, "loras-router");
        await().atMost(Duration.ofSeconds(120)).until(() -> router.readyBackends().size() == 1);

        List<Long> routableMillis = new ArrayList<>();
        for (String topic : TOPICS) {
            long applied = System.nanoTime();
            apply(adapterYaml(topic));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                HttpResponse<String> r = chat(router, "lora-" + topic, "hello " + topic);
                return r.statusCode() == 200 && r.body().contains("[lora-" + topic + "]");
            });
            routableMillis.add((System.nanoTime() - applied) / 1_000_000);
        }
        long[] sorted = routableMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("[economics] kubectl apply of an adapter -> routable through the router (pinned): p50 %d ms, "
                + "p99 (max of 20) %d ms (20 adapters on 1 base, 2 replicas x 1 GPU)%n", sorted[sorted.length / 2],
                sorted[sorted.length - 1]);
        System.out.println("[economics] apply -> routable, each adapter in ms: " + java.util.Arrays.toString(sorted));

        // loaded on every pod of the base, and each adapter's status says so
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(baseStandIns()).hasSize(2).allSatisfy((pod, s) -> assertThat(s.loadedAdapters())
                    .hasSize(20));
            for (String t : TOPICS) {
                assertThat(expert("lora-" + t).getStatus().loadedOn).as(t).hasSize(2);
                assertThat(condition("lora-" + t, "Ready")).startsWith("True AdapterLoaded: loaded on 2/2");
            }
        });
        // the category strategy chooses among them; the routing table lists them as experts
        for (String t : TOPICS) {
            HttpResponse<String> r = chat(router, "loras", "Tell me about " + t);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).as(t).hasValue("lora-" + t);
            assertThat(r.body()).contains("[lora-" + t + "]");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RoutingPolicy policy = client.resources(RoutingPolicy.class).inNamespace(NS).withName("loras").get();
            assertThat(policy.getStatus().routingTable).as("status.routingTable, written by the router").isNotNull();
            assertThat(policy.getStatus().routingTable.routes.stream().map(r -> r.expert).collect(Collectors.toSet()))
                    .containsAll(TOPICS.stream().map(t -> "lora-" + t).toList());
        });
    }

    @Test
    @Order(2)
    void aRestartedPodGetsItsAdaptersBackAndADeletedAdapterIsUnloaded() {
        Pod victim = basePods().get(0);
        client.resource(victim).delete();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            List<Pod> pods = basePods();
            assertThat(pods).hasSize(2).noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName()));
            Set<String> names = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            assertThat(baseStandIns().keySet()).containsAll(names);
            names.forEach(n -> assertThat(baseStandIns().get(n).loadedAdapters()).as(n).hasSize(20));
            assertThat(Set.copyOf(expert("lora-chess").getStatus().loadedOn)).isEqualTo(names);
        });

        client.resources(ExpertModel.class).inNamespace(NS).withName("lora-taxation").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(baseStandIns()).hasSize(2)
                .allSatisfy((pod, s) -> assertThat(s.loadedAdapters()).hasSize(19).doesNotContain("lora-taxation")));
    }

    @Test
    @Order(3)
    void anExpertAtZeroStartsForABurstAndAnswersEveryRequestOfIt() throws Exception {
        system.agent().loadTime(NS, "sleepy", Duration.ofMillis(LOAD_TIME_MS));
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: general}
                spec:
                  model: {uri: "hf://org/general"}
                  resources: {gpus: 1}
                """);
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: sleepy}
                spec:
                  model: {uri: "hf://org/sleepy"}
                  replicas: 0
                  resources: {gpus: 1}
                  autoscaling: {minReplicas: 0, maxReplicas: 2, targetInFlightPerReplica: 64, scaleDownDelay: 10m}
                """);
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: cold}
                spec:
                  modelName: cold
                  experts: {names: [sleepy]}
                  fallback: general
                  holding: {maxWait: 90s, maxQueued: 1000}
                  strategy: {type: static, static: {experts: [{name: sleepy, weight: 1}]}}
                """);
        await().atMost(Duration.ofSeconds(120)).until(() -> condition("general", "Ready").startsWith("True"));
        coldRouter = system.ingress(NS, "cold-router");
        await().atMost(Duration.ofSeconds(120)).until(() -> coldRouter.readyBackends().size() == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> condition("sleepy", "Ready")
                .startsWith("False ScaledToZero"));

        int burst = 50;
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(coldRouter.baseUrl() + "/chat/completions"))
                    .timeout(Duration.ofSeconds(120)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat("cold", "question " + i, false)))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        long[] waited = new long[burst];
        int failed = 0;
        for (int i = 0; i < burst; i++) {
            HttpResponse<String> r = answers.get(i).get(120, TimeUnit.SECONDS);
            waited[i] = (System.nanoTime() - start) / 1_000_000;
            if (r.statusCode() != 200 || !r.headers().firstValue("x-switchboard-expert").orElse("").equals("sleepy")
                    || !r.body().contains("[sleepy]")) {
                failed++;
                System.out.println("[economics] not answered by sleepy: " + r.statusCode() + " " + r.headers().map()
                        + " " + r.body());
            }
        }
        java.util.Arrays.sort(waited);
        System.out.printf("[economics] cold start: %d requests to an expert at 0 replicas (simulated load time %d ms): "
                + "%d failed, all answered by it; wait p50 %d ms, max %d ms (load time + scale-up + scheduling + "
                + "readiness)%n", burst, LOAD_TIME_MS, failed, waited[burst / 2], waited[burst - 1]);
        assertThat(failed).isZero();
        assertThat(waited[0]).isGreaterThanOrEqualTo(LOAD_TIME_MS);
        assertThat(expert("sleepy").getSpec().replicas).isEqualTo(1);
        assertThat(expert("sleepy").getStatus().autoscaler.message).isNotBlank();
    }

    @Test
    @Order(4)
    void deletingTheBaseLeavesItsAdaptersDegradedWithTheReason() {
        client.resources(ExpertModel.class).inNamespace(NS).withName("llama").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(condition("lora-chess", "Degraded"))
                .isEqualTo("True BaseNotFound: spec.adapter.base: ExpertModel 'llama' not found in namespace econ"));
    }
}
