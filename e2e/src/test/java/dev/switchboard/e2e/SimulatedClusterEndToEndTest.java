package dev.switchboard.e2e;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.Expertise;
import dev.switchboard.api.v1alpha1.ExpertResources;
import dev.switchboard.api.v1alpha1.ModelSource;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product as a user runs it, on a simulated GPU cluster: real kube-apiserver, etcd, controller-manager and
 * scheduler, kwok nodes with nvidia.com/gpu, the Helm chart installed, the packaged operator and router running
 * as the pods' processes, deploy/examples applied.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatedClusterEndToEndTest {
    static final String NS = DemoComposition.NAMESPACE;
    static final List<String> QUESTIONS = List.of("What is the integral of 2x?", "Write a Python function to sort a list",
            "What are the side effects of ibuprofen?", "hi, how are you today?");
    static SwitchboardOnSimCluster system;
    static KubernetesClient client;
    static DemoComposition demo;
    static ServiceIngress router;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        system = SwitchboardOnSimCluster.start(ProjectPaths.root().resolve("e2e/target/sim-cluster"));
        client = system.client();
        demo = new DemoComposition(client).applyPrerequisites();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void chartInstallsAndTheOperatorRunsWithItsOwnServiceAccount() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            List<Pod> pods = client.pods().inNamespace(SwitchboardOnSimCluster.OPERATOR_NAMESPACE).list().getItems();
            assertThat(pods).anySatisfy(p -> assertThat(system.addresses()
                    .resolve(p.getStatus().getPodIP(), 8080)).isPresent());
        });
    }

    @Test
    @Order(2)
    void expertsBecomeReadyWithPodsOnGpuNodes() {
        long started = System.nanoTime();
        demo.applyExperts();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (String name : DemoComposition.DEPLOYED_EXPERTS) {
                assertThat(ready(expert(name))).as("%s Ready", name).isTrue();
            }
        });
        System.out.printf("[e2e] %d deployed experts Ready %d ms after apply%n",
                DemoComposition.DEPLOYED_EXPERTS.size(), (System.nanoTime() - started) / 1_000_000);
        List<Pod> expertPods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "expert")
                .list().getItems();
        assertThat(expertPods).isNotEmpty().allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith("gpu-node-"));
        assertThat(client.pods().inNamespace(NS).withLabel("switchboard.dev/expert", "medical").list().getItems())
                .allSatisfy(p -> assertThat(client.nodes().withName(p.getSpec().getNodeName()).get().getMetadata()
                        .getLabels()).containsEntry("nvidia.com/gpu.product", "NVIDIA-L4"));
    }

    @Test
    @Order(3)
    void anExpertAskingForMoreGpusThanAnyNodeHasIsDegradedUnschedulable() {
        ExpertModel huge = newExpert("huge", "hf://org/huge-model", 16, List.of("math"));
        client.resource(huge).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Condition degraded = condition(expert("huge"), "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("Unschedulable");
            assertThat(degraded.getMessage()).contains("Insufficient nvidia.com/gpu");
        });
        assertThat(ready(expert("huge"))).isFalse();
        client.resource(huge).delete();
    }

    @Test
    @Order(4)
    void theRouterAnswersThroughTheRoutedModelNameStreamingToo() throws Exception {
        demo.applyPolicy("category-policy.yaml");
        router = system.ingress(NS, "coe-router");
        await().atMost(Duration.ofSeconds(120)).until(() -> router.readyBackends().size() == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> post(E2eRequests.chat("switchboard-coe", "hello", false))
                .statusCode() == 200);

        HttpResponse<String> math = post(E2eRequests.chat("switchboard-coe", "What is the integral of 2x dx?", false));
        assertThat(math.statusCode()).isEqualTo(200);
        assertThat(math.headers().firstValue("x-switchboard-expert")).contains("math");
        assertThat(math.headers().firstValue("x-switchboard-policy")).isPresent();
        assertThat(math.body()).contains("chat.completion");

        HttpResponse<String> stream = post(E2eRequests.chat("switchboard-coe", "Write a Java method that sorts a list", true));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type").orElse("")).contains("text/event-stream");
        assertThat(stream.body()).contains("data: ").contains("[DONE]");
        assertThat(stream.headers().firstValue("x-switchboard-expert")).contains("code");

        // the packaged operator reads the packaged router's verdict on the current generation: the policy is Ready
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            RoutingPolicy coe = client.resources(RoutingPolicy.class).inNamespace(NS).withName("coe").get();
            assertThat(coe.getStatus()).isNotNull();
            assertThat(coe.getStatus().routingTable).isNotNull();
            assertThat(coe.getStatus().routingTable.accepted).isTrue();
            assertThat(coe.getStatus().routingTable.observedGeneration).isEqualTo(coe.getMetadata().getGeneration());
            assertThat(coe.getStatus().condition("Ready")).hasValueSatisfying(ready -> {
                assertThat(ready.getStatus()).isEqualTo("True");
                assertThat(ready.getReason()).isEqualTo("RouterAvailable");
            });
        });

        // The hosted expert's API key: granted by its owner (deploy/examples/secret-grants.yaml), passed on to the
        // router's Role by the operator (which never reads it), sent by the router to that expert only.
        assertThat(client.rbac().roles().inNamespace(NS).withName("coe-router").get().getRules())
                .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("frontier-api-key"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> hosted = post(E2eRequests.chat("frontier", "hello", false));
            assertThat(hosted.statusCode()).isEqualTo(200);
            assertThat(hosted.headers().firstValue("x-switchboard-expert")).contains("frontier");
            assertThat(demo.frontier().lastAuthorization()).isEqualTo("Bearer demo-frontier-api-key");
        });
    }

    @Test
    @Order(5)
    void addingAnExpertMakesItRoutableAndDeletingItRemovesItUnderTraffic() throws Exception {
        try (TrafficLoop traffic = new TrafficLoop(router.baseUrl(), "switchboard-coe", 4, QUESTIONS)) {
            ExpertModel chemistry = newExpert("chemistry", "hf://org/chem-7b", 1, List.of("chemistry"));
            chemistry.getMetadata().setLabels(Map.of("switchboard.dev/composition", "demo"));
            List<String> replicas = router.readyBackends().stream().map(b -> "http://" + b + "/v1").toList();
            assertThat(replicas).hasSize(2);
            client.resource(chemistry).create();
            // Each router replica converges on its own (own watches and rebuild; 1-110 ms apart here) and, knowing
            // the ExpertModel but not yet its ready endpoint, answers a pinned request 503 "no ready endpoints". So
            // wait until every replica lists the expert; from then on every replica must answer it at once.
            await().atMost(Duration.ofSeconds(90)).until(() -> replicas.stream().allMatch(r -> lists(r, "chemistry")));
            for (String replica : replicas) {
                HttpResponse<String> pinned = post(replica, E2eRequests.chat("chemistry", "Balance H2 + O2 -> H2O", false));
                assertThat(pinned.statusCode()).as("%s answered %s", replica, pinned.body()).isEqualTo(200);
            }
            assertThat(post(E2eRequests.chat("chemistry", "Balance H2 + O2 -> H2O", false)).statusCode()).isEqualTo(200);

            client.resource(chemistry).delete();
            // A replica forgets the expert (404) when it sees the ExpertModel deleted; one that saw the endpoints
            // withdrawn first would answer 503 meanwhile, so each replica is waited for, not just the first.
            await().atMost(Duration.ofSeconds(30)).until(() -> replicas.stream().allMatch(r -> !lists(r, "chemistry")
                    && pinnedStatus(r, "chemistry") == 404));
            assertThat(post(E2eRequests.chat("chemistry", "Balance H2 + O2 -> H2O", false)).statusCode()).isEqualTo(404);
            Thread.sleep(1000);
            traffic.close();
            System.out.printf("[e2e] add/remove expert under traffic: %d requests ok, %d failed%n",
                    traffic.ok.get(), traffic.failures.size());
            assertThat(traffic.failures).isEmpty();
            assertThat(traffic.ok.get()).isPositive();
        }
    }

    @Test
    @Order(6)
    void aRouterRestartUnderTrafficLosesNothingWithTwoReplicas() throws Exception {
        try (TrafficLoop traffic = new TrafficLoop(router.baseUrl(), "switchboard-coe", 4, QUESTIONS)) {
            Thread.sleep(1000);
            Pod victim = client.pods().inNamespace(NS).list().getItems().stream()
                    .filter(p -> p.getMetadata().getName().startsWith("coe-router-")).findFirst().orElseThrow();
            client.resource(victim).delete();
            await().atMost(Duration.ofSeconds(120)).until(() -> router.readyBackends().size() == 2
                    && client.pods().inNamespace(NS).withName(victim.getMetadata().getName()).get() == null);
            Thread.sleep(2000);
            traffic.close();
            System.out.printf("[e2e] router pod restart under traffic: %d requests ok, %d failed%n",
                    traffic.ok.get(), traffic.failures.size());
            assertThat(traffic.failures).isEmpty();
        }
    }

    @Test
    @Order(7)
    void aTrainedCategoryPolicyLoadsItsArtifactFromAConfigMapAndRoutesByIt() throws Exception {
        demo.applyConfigMap("coe-trained-classifier.yaml").applyPolicy("coe-trained-policy.yaml");
        try (ServiceIngress trained = system.ingress(NS, "coe-trained-router")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> trained.readyBackends().size() == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> lists(trained.baseUrl(), "switchboard-coe-trained"));
            Map<String, String> questions = Map.of(
                    "legal", "A buyer refused to close on a land-sale contract after the seller missed the closing date "
                            + "by one day. Can the seller obtain specific performance? A. Yes B. No",
                    "medical", "Which adverse effect is most associated with metformin? A. Lactic acidosis "
                            + "B. Hypoglycaemia C. Weight gain D. Hyperkalaemia",
                    "code", "Which data structure supports insertion and lookup by key in O(1) average time? "
                            + "A. Hash table B. Linked list C. Binary heap D. Sorted array");
            for (var q : questions.entrySet()) {
                HttpResponse<String> answer = post(trained.baseUrl(), E2eRequests.chat("switchboard-coe-trained",
                        q.getValue(), false));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.headers().firstValue("x-switchboard-expert")).as(q.getValue()).contains(q.getKey());
            }
            // the router publishes every category the artifact knows, with where it sends it
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RoutingPolicy policy = client.resources(RoutingPolicy.class).inNamespace(NS).withName("coe-trained").get();
                assertThat(policy.getStatus().routingTable).isNotNull();
                assertThat(policy.getStatus().routingTable.routes).extracting(r -> r.route).contains("law", "health",
                        "computer science", "philosophy", "psychology");
            });
        }
    }

    @Test
    @Order(8)
    void kubectlGetExpertsShowsThePrinterColumns() {
        String out = Cli.kubectl(system.cluster().kubeconfig(), "get", "experts", "-n", NS).orThrow().output();
        System.out.println(out);
        // the columns in their annotation order (the CRD is post-processed: fabric8 sorts them by JSON path)
        assertThat(out.lines().findFirst().orElse("").trim().split("\\s+")).containsExactly("NAME", "READY", "PHASE",
                "MODEL", "GPUS", "REPLICAS", "AVAILABLE", "AGE");
        assertThat(out).contains("qwen2.5-math-7b");
    }

    @Test
    @Order(9)
    void aPolicyTheRouterCannotServeIsNotReadyAndKubectlSaysWhy() {
        // the API server accepts it (it cannot know the experts' categories); no query could ever take the route
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: lost, namespace: %s}
                spec:
                  experts: {names: [math, code]}
                  strategy:
                    type: category
                    category: {routes: [{category: maths, experts: [{name: math}]}]}
                  embedding: {builtin: hashing}
                """.formatted(NS), RoutingPolicy.class)).create();
        String why = "spec.strategy.category.routes[0].category: unknown category 'maths' (known: code, math)";
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            RoutingPolicy lost = client.resources(RoutingPolicy.class).inNamespace(NS).withName("lost").get();
            assertThat(lost.getStatus()).isNotNull();
            assertThat(lost.getStatus().condition("Ready")).isPresent();
            assertThat(lost.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("InvalidPolicy");
            assertThat(lost.getStatus().condition("Ready").orElseThrow().getMessage()).isEqualTo(why);
            // the router, once running, refuses it for the same reason
            assertThat(lost.getStatus().routingTable).isNotNull();
            assertThat(lost.getStatus().routingTable.accepted).isFalse();
            assertThat(lost.getStatus().routingTable.message).isEqualTo(why);
        });
        String out = Cli.kubectl(system.cluster().kubeconfig(), "get", "routingpolicies", "-n", NS).orThrow().output();
        System.out.println(out);
        assertThat(out.lines().findFirst().orElse("").trim().split("\\s+")).containsExactly("NAME", "READY", "REASON",
                "MODEL", "STRATEGY", "EXPERTS", "AGE");
        assertThat(out).containsPattern("(?m)^lost\\s+False\\s+InvalidPolicy\\s").containsPattern(
                "(?m)^coe\\s+True\\s+RouterAvailable\\s");
        client.resources(RoutingPolicy.class).inNamespace(NS).withName("lost").delete();
    }

    @Test
    @Order(10)
    void aConversationStaysOnOneReplicaOfAScaledExpertWhileConversationsSpread() throws Exception {
        Cli.kubectl(system.cluster().kubeconfig(), "scale", "expertmodel/math", "-n", NS, "--replicas=3").orThrow();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(expert("math").getStatus()
                .readyReplicas).isEqualTo(3));
        // both router replicas route to the three pods (each converges on its own; /q/routing on its management port)
        List<String> routers = router.readyBackends("management").stream().map(b -> "http://" + b).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> routers.stream().allMatch(r -> endpointsOf(r, "math") == 3));

        // Turns alternate between the two router replicas (the ingress balances them): they agree on the replica
        // without sharing state (rendezvous hashing of the conversation), while conversations spread over the pods.
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int c = 0; c < 12; c++) {
            io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray().add(new io.vertx.core.json
                    .JsonObject().put("role", "system").put("content", "You are a patient mathematics tutor. Show "
                    + "every step of the working and check the result at the end."));
            String replica = null;
            for (int t = 0; t < 4; t++) {
                messages.add(new io.vertx.core.json.JsonObject().put("role", "user").put("content",
                        "What is the integral of " + (c + 2) + "x^" + (t + 1) + " dx? Solve for x step " + t));
                HttpResponse<String> answer = post(new io.vertx.core.json.JsonObject().put("model", "switchboard-coe")
                        .put("messages", messages).encode());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.headers().firstValue("x-switchboard-expert")).hasValue("math");
                String answeredBy = answer.headers().firstValue("x-stand-in-replica").orElseThrow();
                if (replica == null) {
                    replica = answeredBy;
                }
                assertThat(answeredBy).as("conversation %d, turn %d", c, t).isEqualTo(replica);
                messages.add(new io.vertx.core.json.JsonObject().put("role", "assistant").put("content",
                        new io.vertx.core.json.JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0)
                                .getJsonObject("message").getString("content")));
            }
            used.add(replica);
        }
        System.out.printf("[e2e] 12 conversations x 4 turns over 3 math replicas: conversations on %s%n", used);
        assertThat(used).hasSizeGreaterThanOrEqualTo(2);
        Cli.kubectl(system.cluster().kubeconfig(), "scale", "expertmodel/math", "-n", NS, "--replicas=1").orThrow();
    }

    /** The ready endpoints of an expert in the routing table a router replica serves (/q/routing, management port). */
    static int endpointsOf(String routerBase, String expert) {
        try {
            io.vertx.core.json.JsonObject routing = new io.vertx.core.json.JsonObject(http.send(HttpRequest.newBuilder(
                    URI.create(routerBase + "/q/routing")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            return countEndpoints(routing, expert);
        } catch (Exception e) {
            return -1;
        }
    }

    static int countEndpoints(io.vertx.core.json.JsonObject routing, String expert) {
        for (Object e : routing.getJsonArray("experts")) {
            io.vertx.core.json.JsonObject info = (io.vertx.core.json.JsonObject) e;
            if (expert.equals(info.getString("name"))) {
                return info.getJsonArray("endpoints").size();
            }
        }
        return 0;
    }

    static ExpertModel newExpert(String name, String uri, int gpus, List<String> categories) {
        ExpertModel expert = new ExpertModel();
        expert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ExpertModelSpec spec = new ExpertModelSpec();
        spec.model = new ModelSource();
        spec.model.uri = uri;
        spec.resources = new ExpertResources();
        spec.resources.gpus = gpus;
        spec.expertise = new Expertise();
        spec.expertise.categories = categories;
        spec.expertise.description = "Specialist in " + String.join(", ", categories);
        expert.setSpec(spec);
        return expert;
    }

    static ExpertModel expert(String name) {
        return client.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    static Condition condition(ExpertModel expert, String type) {
        if (expert == null || expert.getStatus() == null) {
            return null;
        }
        return expert.getStatus().condition(type).orElse(null);
    }

    static boolean ready(ExpertModel expert) {
        Condition ready = condition(expert, "Ready");
        return ready != null && "True".equals(ready.getStatus());
    }

    static HttpResponse<String> post(String body) throws Exception {
        return post(router.baseUrl(), body);
    }

    static HttpResponse<String> post(String baseUrl, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the router at baseUrl (the ingress or one replica) lists the model in /v1/models. */
    static boolean lists(String baseUrl, String model) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/models")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"" + model + "\"");
        } catch (Exception e) {
            throw new IllegalStateException("GET " + baseUrl + "/models failed", e);
        }
    }

    static int pinnedStatus(String baseUrl, String model) {
        try {
            return post(baseUrl, E2eRequests.chat(model, "Balance H2 + O2 -> H2O", false)).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("POST " + baseUrl + "/chat/completions failed", e);
        }
    }

}
