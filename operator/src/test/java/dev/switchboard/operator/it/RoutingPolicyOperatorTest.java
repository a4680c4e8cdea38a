package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The RoutingPolicy reconciler in-process against a real kube-apiserver + kube-controller-manager. */
class RoutingPolicyOperatorTest {
    static final String NS = "policies-it";
    static KubernetesClient client;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(client, NS);
        operator = InProcessOperator.start(client, OperatorConfig.defaults(), NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    Resource<RoutingPolicy> policy(String name) {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName(name);
    }

    static String reason(RoutingPolicy p, String type) {
        return p == null || p.getStatus() == null ? null
                : p.getStatus().condition(type).map(c -> c.getReason()).orElse(null);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void policyWithMissingExpertThenRouterReady() {
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: code, namespace: policies-it, labels: {switchboard.dev/composition: demo}}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                """, ExpertModel.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: policies-it}
                spec:
                  modelName: switchboard-coe
                  experts:
                    selector: {matchLabels: {switchboard.dev/composition: demo}}
                    names: [ghost]
                  strategy:
                    type: static
                    static: {experts: [{name: code}, {name: ghost}]}
                  router: {replicas: 2}
                """, RoutingPolicy.class)).create();

        // Router objects, all named <policy>-router and owned by the policy.
        // The reconciler applies the Service and the PDB after the Deployment, so wait for the last of them.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.apps().deployments().inNamespace(NS).withName("coe-router").get() != null
                        && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router")
                        .get() != null);
        assertThat(client.serviceAccounts().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.rbac().roles().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.rbac().roleBindings().inNamespace(NS).withName("coe-router").get()).isNotNull();
        assertThat(client.services().inNamespace(NS).withName("coe-router").get().getSpec().getPorts().get(0)
                .getPort()).isEqualTo(8080);
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router").get())
                .isNotNull();
        assertThat(client.apps().deployments().inNamespace(NS).withName("coe-router").get().getMetadata()
                .getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("coe"));

        // The referenced expert "ghost" does not exist: a warning condition names it.
        await().atMost(Duration.ofSeconds(15)).until(() -> "ExpertNotFound".equals(reason(policy("coe").get(),
                "Degraded")));
        RoutingPolicy degraded = policy("coe").get();
        assertThat(degraded.getStatus().condition("Degraded").orElseThrow().getMessage()).contains("ghost");
        assertThat(degraded.getStatus().experts).extracting(e -> e.name + ":" + e.found)
                .containsExactlyInAnyOrder("code:true", "ghost:false");
        assertThat(degraded.getStatus().modelName).isEqualTo("switchboard-coe");
        assertThat(degraded.getStatus().endpoint).isEqualTo("http://coe-router.policies-it.svc:8080/v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "ExpertNotFound".equals(e.getReason())
                        && "coe".equals(e.getInvolvedObject().getName())));

        // The router (another field manager) writes status.routingTable with its verdict on the current generation;
        // the operator must never clear it.
        policy("coe").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"routingTable\":{\"version\":7,\"observedGeneration\":1,\"accepted\":true,"
                        + "\"routes\":[{\"route\":\"*\",\"expert\":\"code\",\"readyEndpoints\":0}]}}}");

        // Creating the missing expert resolves ExpertNotFound; nothing is ready yet.
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: ghost, namespace: policies-it}
                spec:
                  model: {uri: "hf://org/ghost-7b"}
                """, ExpertModel.class)).create();
        await().atMost(Duration.ofSeconds(15)).until(() -> "NoReadyExpert".equals(reason(policy("coe").get(),
                "Degraded")));
        assertThat(policy("coe").get().getStatus().routingTable).isNotNull();
        assertThat(policy("coe").get().getStatus().routingTable.version).isEqualTo(7L);

        // Router pods become ready → the policy is Ready.
        await().atMost(Duration.ofSeconds(20)).until(() -> routerPods().size() == 2);
        for (Pod pod : routerPods()) {
            PodStatusWriter.write(client, pod, PodStatusWriter.ready(pod));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> policy("coe").get().getStatus().isTrue("Ready"));
        assertThat(reason(policy("coe").get(), "Ready")).isEqualTo("RouterAvailable");
        assertThat(policy("coe").get().getStatus().routingTable).isNotNull();

        // Scaling the router down to one replica removes the PDB.
        policy("coe").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"router\":{\"replicas\":1}}}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("coe-router").get() == null);
    }

    List<Pod> routerPods() {
        return routerPods("coe");
    }

    List<Pod> routerPods(String policy) {
        return client.pods().inNamespace(NS).withLabel("switchboard.dev/policy", policy).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Plays the kubelet for the policy's router pods: they start and turn Ready. */
    void routerRuns(String policy) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !routerPods(policy).isEmpty());
        for (Pod pod : routerPods(policy)) {
            PodStatusWriter.write(client, pod, PodStatusWriter.ready(pod));
        }
    }

    /**
     * Plays the router (router-service's PolicyStatusWriter, tested there against the real router): its verdict on
     * the policy's current generation in status.routingTable.
     */
    void routerReports(String policy, boolean accepted, String message) {
        RoutingPolicy current = policy(policy).get();
        String verdict = "\"observedGeneration\":" + current.getMetadata().getGeneration() + ",\"accepted\":" + accepted
                + (message == null ? ",\"message\":null" : ",\"message\":" + Serialization.asJson(message));
        policy(policy).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"routingTable\":{\"version\":" + (current.getMetadata().getGeneration() + 10) + ","
                        + verdict + ",\"routes\":[]}}}");
    }

    /** Waits until Ready=False with reason InvalidPolicy, and returns the condition's message. */
    String awaitInvalid(String policy) {
        await().atMost(Duration.ofSeconds(20)).until(() -> "InvalidPolicy".equals(reason(policy(policy).get(),
                "Ready")));
        RoutingPolicy p = policy(policy).get();
        assertThat(p.getStatus().isTrue("Ready")).isFalse();
        assertThat(p.getStatus().observedGeneration).isEqualTo(p.getMetadata().getGeneration());
        assertThat(reason(p, "Degraded")).isEqualTo("InvalidPolicy");
        assertThat(p.getStatus().isTrue("Degraded")).isTrue();
        assertThat(p.getStatus().phase).isEqualTo("Degraded");
        return p.getStatus().condition("Ready").orElseThrow().getMessage();
    }

    void awaitReady(String policy) {
        await().atMost(Duration.ofSeconds(20)).until(() -> policy(policy).get().getStatus().isTrue("Ready"));
        RoutingPolicy p = policy(policy).get();
        assertThat(reason(p, "Ready")).isEqualTo("RouterAvailable");
        // Degraded now only speaks of the experts (none is Ready here: no kubelet runs their pods)
        assertThat(reason(p, "Degraded")).isNotEqualTo("InvalidPolicy");
        assertThat(p.getStatus().observedGeneration).isEqualTo(p.getMetadata().getGeneration());
    }

    void create(String yaml, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type) {
        client.resource(Serialization.unmarshal(yaml, type)).inNamespace(NS).create();
    }

    static final String RULES_EXPERTS = """
            apiVersion: switchboard.dev/v1alpha1
            kind: ExpertModel
            metadata: {name: %s, namespace: policies-it, labels: {team: %s}}
            spec:
              model: {uri: "hf://org/%s"}
              expertise: {categories: [%s]}
            """;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRouteForACategoryNoStrategyCanPredictIsNeverReadyUntilFixed() throws Exception {
        create(RULES_EXPERTS.formatted("rules-math", "rules", "rules-math", "math"), ExpertModel.class);
        create(RULES_EXPERTS.formatted("rules-chat", "rules", "rules-chat", "chat"), ExpertModel.class);
        // accepted by the API server (which cannot know the experts' categories), refused by the router
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: lost}
                spec:
                  experts: {names: [rules-math, rules-chat]}
                  strategy:
                    type: category
                    category: {routes: [{category: maths, experts: [{name: rules-math}]}]}
                """, RoutingPolicy.class);
        routerRuns("lost");
        routerReports("lost", false, "spec.strategy.category.routes[0].category: unknown category 'maths' (known: "
                + "chat, math)");
        assertThat(awaitInvalid("lost")).isEqualTo("spec.strategy.category.routes[0].category: unknown category "
                + "'maths' (known: chat, math)");
        assertThat(kubectl("get", "routingpolicies", "lost")).containsPattern("lost\\s+False\\s+InvalidPolicy\\s");
        assertThat(kubectl("get", "routingpolicies", "lost", "-o", "wide"))
                .contains("spec.strategy.category.routes[0].category: unknown category 'maths'");

        policy("lost").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"strategy\":{\"category\":{\"routes\":[{\"category\":\"math\","
                        + "\"experts\":[{\"name\":\"rules-math\"}]}]}}}}");
        // fixed, but not Ready before the router has loaded the new generation
        await().atMost(Duration.ofSeconds(20)).until(() -> "AwaitingRouter".equals(reason(policy("lost").get(),
                "Ready")));
        assertThat(policy("lost").get().getStatus().condition("Ready").orElseThrow().getMessage())
                .contains("generation 2");
        routerReports("lost", true, null);
        awaitReady("lost");
        assertThat(kubectl("get", "routingpolicies", "lost")).containsPattern("lost\\s+True\\s+RouterAvailable\\s");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aStrategyExpertTheSelectorDoesNotSelectIsNeverReadyUntilItIsSelected() {
        create(RULES_EXPERTS.formatted("sel-a", "sel", "sel-a", "a"), ExpertModel.class);
        create(RULES_EXPERTS.formatted("sel-b", "other", "sel-b", "b"), ExpertModel.class);
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: unselected}
                spec:
                  experts: {selector: {matchLabels: {team: sel}}}
                  strategy: {type: static, static: {experts: [{name: sel-a}, {name: sel-b}]}}
                """, RoutingPolicy.class);
        routerRuns("unselected");
        assertThat(awaitInvalid("unselected")).isEqualTo("spec.strategy.static.experts[1].name: expert 'sel-b' is "
                + "not among the policy's experts (spec.experts.selector does not select it); list it in "
                + "spec.experts.names");
        // the router refuses it too, for the same reason
        routerReports("unselected", false, "spec.strategy.static.experts[1].name: expert 'sel-b' is not among the "
                + "policy's experts (spec.experts.selector does not select it); list it in spec.experts.names");

        // labelling the expert fixes the policy without changing it: the router re-reads it (same generation)
        client.resources(ExpertModel.class).inNamespace(NS).withName("sel-b").edit(e -> {
            e.getMetadata().getLabels().put("team", "sel");
            return e;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> policy("unselected").get().getStatus().condition("Ready")
                .orElseThrow().getMessage().startsWith("the router refuses the policy: spec.strategy.static"));
        routerReports("unselected", true, null);
        awaitReady("unselected");
        assertThat(policy("unselected").get().getStatus().experts).extracting(e -> e.name)
                .containsExactly("sel-a", "sel-b");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSelectorWithAnUnknownOperatorIsNeverReadyUntilFixed() {
        create(RULES_EXPERTS.formatted("op-a", "op", "op-a", "a"), ExpertModel.class);
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: bad-selector}
                spec:
                  experts:
                    selector: {matchExpressions: [{key: team, operator: Equals, values: [op]}]}
                  strategy: {type: semantic}
                """, RoutingPolicy.class);
        routerRuns("bad-selector");
        assertThat(awaitInvalid("bad-selector")).isEqualTo("spec.experts.selector.matchExpressions[0]: key team: "
                + "unknown operator 'Equals', expected In, NotIn, Exists or DoesNotExist");
        policy("bad-selector").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"experts\":{\"selector\":"
                + "{\"matchExpressions\":[{\"key\":\"team\",\"operator\":\"In\",\"values\":[\"op\"]}]}}}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> "AwaitingRouter".equals(reason(policy("bad-selector")
                .get(), "Ready")));
        routerReports("bad-selector", true, null);
        awaitReady("bad-selector");
        assertThat(policy("bad-selector").get().getStatus().experts).extracting(e -> e.name).containsExactly("op-a");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aMissingShadowKeepsThePolicyReadyWithAShadowConditionUntilTheShadowExists() {
        create(RULES_EXPERTS.formatted("sh-a", "sh", "sh-a", "a"), ExpertModel.class);
        create(RULES_EXPERTS.formatted("sh-b", "sh", "sh-b", "b"), ExpertModel.class);
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: shadowed}
                spec:
                  experts: {names: [sh-a, sh-b]}
                  strategy: {type: static, static: {experts: [{name: sh-a}]}}
                  shadow: {policy: shadowed-v2}
                """, RoutingPolicy.class);
        routerRuns("shadowed");
        routerReports("shadowed", true, null);
        awaitReady("shadowed");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ShadowNotFound".equals(reason(policy("shadowed").get(),
                "Shadow")));
        RoutingPolicy live = policy("shadowed").get();
        assertThat(live.getStatus().condition("Shadow").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(live.getStatus().condition("Shadow").orElseThrow().getMessage()).isEqualTo("spec.shadow.policy: "
                + "no RoutingPolicy 'shadowed-v2' in namespace " + NS + "; no shadow decisions are made until it "
                + "exists");
        assertThat(live.getStatus().isTrue("Ready")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "ShadowNotFound".equals(e.getReason()) && "Warning".equals(e.getType())));
        // the live policy's router may write its shadow's status.shadow
        var role = client.rbac().roles().inNamespace(NS).withName(live.getMetadata().getName() + "-router").get();
        assertThat(role.getRules()).anySatisfy(r -> {
            assertThat(r.getResources()).containsExactly("routingpolicies/status");
            assertThat(r.getResourceNames()).containsExactly("shadowed", "shadowed-v2");
        });

        // creating the shadow policy flips the condition without touching the live policy
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: shadowed-v2}
                spec:
                  experts: {names: [sh-a, sh-b]}
                  strategy: {type: static, static: {experts: [{name: sh-b}]}}
                """, RoutingPolicy.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Shadowing".equals(reason(policy("shadowed").get(),
                "Shadow")));
        assertThat(policy("shadowed").get().getStatus().isTrue("Shadow")).isTrue();
        assertThat(policy("shadowed").get().getStatus().isTrue("Ready")).isTrue();

        // a shadow that becomes invalid is reported, the live policy still Ready
        policy("shadowed-v2").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"experts\":{\"names\":null,\"selector\":{\"matchLabels\":{\"team\":\"none\"}}}}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ShadowInvalid".equals(reason(policy("shadowed").get(),
                "Shadow")));
        assertThat(policy("shadowed").get().getStatus().condition("Shadow").orElseThrow().getMessage())
                .startsWith("spec.shadow.policy: RoutingPolicy 'shadowed-v2' cannot decide: "
                        + "spec.strategy.static.experts[0].name: expert 'sh-b' is not among the policy's experts");
        assertThat(policy("shadowed").get().getStatus().isTrue("Ready")).isTrue();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aPolicyOnlyTheRouterCanRefuseIsNeverReadyUntilTheRouterServesIt() {
        create(RULES_EXPERTS.formatted("art-a", "art", "art-a", "a"), ExpertModel.class);
        // the trained artifact's ConfigMap does not exist: only the router, which reads it, can tell
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: untrained}
                spec:
                  experts: {names: [art-a]}
                  strategy: {type: cluster, learned: {configMapRef: missing-artifact}}
                """, RoutingPolicy.class);
        routerRuns("untrained");
        await().atMost(Duration.ofSeconds(20)).until(() -> "AwaitingRouter".equals(reason(policy("untrained").get(),
                "Ready")));
        assertThat(reason(policy("untrained").get(), "Degraded")).isNotEqualTo("InvalidPolicy");
        routerReports("untrained", false, "spec.strategy.learned: artifact missing-artifact/router.json not found "
                + "(ConfigMap or key missing)");
        assertThat(awaitInvalid("untrained")).isEqualTo("the router refuses the policy: spec.strategy.learned: "
                + "artifact missing-artifact/router.json not found (ConfigMap or key missing)");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "InvalidPolicy".equals(e.getReason())
                        && "untrained".equals(e.getInvolvedObject().getName())
                        && "Warning".equals(e.getType())));

        // once the ConfigMap exists the router serves the policy and says so
        routerReports("untrained", true, null);
        awaitReady("untrained");
    }

    /** kubectl against the harness' API server, as a user would run it; returns its output. */
    static String kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                dev.switchboard.testing.KubeBinaries.locate("kubectl").resolve("kubectl").toString(),
                "--kubeconfig", KubeApiServer.shared().kubeconfig().toString(), "-n", NS));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
