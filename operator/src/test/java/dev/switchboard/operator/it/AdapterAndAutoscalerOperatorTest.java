package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.DemandStatus;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.metrics.ExpertGauges;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adapter experts refused for what their base cannot give (no base, an external base, a rank or a count above
 * the base's limits), and the built-in autoscaler's decisions through the scale subresource, on a real
 * kube-apiserver. Loading adapters on running pods is tested on the simulated cluster (e2e).
 */
class AdapterAndAutoscalerOperatorTest {
    static final String NS = "economics-it";
    /** What a status driven by an event (not by the 30 s resync) may take, on a loaded machine. */
    static final Duration EVENT_DRIVEN = Duration.ofSeconds(5);
    static KubernetesClient client;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(client, NS);
        operator = InProcessOperator.start(client, OperatorConfig.defaults().withServiceMonitors(
                OperatorConfig.MonitorMode.FALSE), NS, null, ExpertGauges.unexported());
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    static void apply(String yaml) {
        client.resource(Serialization.unmarshal(yaml, ExpertModel.class)).inNamespace(NS).serverSideApply();
    }

    static ExpertModel get(String name) {
        return client.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    static void awaitCondition(String name, String type, String status, String reason, String messagePart) {
        awaitCondition(name, type, status, reason, messagePart, Duration.ofSeconds(30));
    }

    /**
     * @param within the time allowed; a few seconds where the change must come from an event (the base appearing
     *               or going), well inside the adapters' 30 s resync, which would hide a missed event
     */
    static void awaitCondition(String name, String type, String status, String reason, String messagePart,
                               Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            ExpertModel e = get(name);
            assertThat(e.getStatus()).isNotNull();
            var c = e.getStatus().condition(type).orElseThrow();
            assertThat(c.getStatus()).isEqualTo(status);
            assertThat(c.getReason()).isEqualTo(reason);
            assertThat(c.getMessage()).contains(messagePart);
        });
    }

    static final String NOBASE = """
            apiVersion: switchboard.dev/v1alpha1
            kind: ExpertModel
            metadata: {name: nobase}
            spec:
              model: {uri: "hf://org/base"}
              replicas: 0
            """;

    @Test
    void anAdapterWithoutABaseIsDegradedNamingTheFieldAndRecoversWhenTheBaseAppears() {
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: orphan}
                spec:
                  adapter: {base: nobase, uri: "hf://org/orphan-lora"}
                """);
        awaitCondition("orphan", "Degraded", "True", "BaseNotFound",
                "spec.adapter.base: ExpertModel 'nobase' not found in namespace " + NS);
        awaitCondition("orphan", "Ready", "False", "BaseNotFound", "nobase");
        assertThat(client.apps().deployments().inNamespace(NS).withName("orphan").get()).isNull();

        apply(NOBASE);
        // the base exists now (no pod is ready in this harness): waiting for it, no longer Degraded
        awaitCondition("orphan", "Progressing", "True", "BaseNotReady", "base nobase has no ready replica",
                EVENT_DRIVEN);
        awaitCondition("orphan", "Degraded", "False", "AsExpected", "");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment base = client.apps().deployments().inNamespace(NS).withName("nobase").get();
            assertThat(base.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                    .containsSubsequence("--enable-lora", "--max-loras", "4", "--max-cpu-loras", "4",
                            "--max-lora-rank", "16");
        });

        // the base's deletion (and its return) reach the adapter at once, not at the next resync; a few rounds,
        // since a lookup in a cache that lags the triggering event fails only sometimes
        for (int round = 0; round < 3; round++) {
            client.resources(ExpertModel.class).inNamespace(NS).withName("nobase").delete();
            awaitCondition("orphan", "Degraded", "True", "BaseNotFound", "'nobase' not found", EVENT_DRIVEN);
            await().atMost(Duration.ofSeconds(30)).until(() -> get("nobase") == null);
            if (round < 2) {
                apply(NOBASE);
                awaitCondition("orphan", "Progressing", "True", "BaseNotReady", "base nobase has no ready replica",
                        EVENT_DRIVEN);
            }
        }
    }

    @Test
    void anExternalBaseCannotServeAdapters() {
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: hosted}
                spec:
                  external: {url: "https://api.example.invalid/v1"}
                """);
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: on-hosted}
                spec:
                  adapter: {base: hosted, uri: "hf://org/lora"}
                """);
        awaitCondition("on-hosted", "Degraded", "True", "BaseNotDeployed",
                "spec.adapter.base: ExpertModel 'hosted' is spec.external");
    }

    @Test
    void theBasesLimitsRefuseARankTooLargeAndAdaptersBeyondMaxLoras() {
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: small-base}
                spec:
                  model: {uri: "hf://org/base"}
                  replicas: 0
                  engine: {lora: {maxLoras: 1, maxLoraRank: 16}}
                """);
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: wide}
                spec:
                  adapter: {base: small-base, uri: "hf://org/wide", rank: 64}
                """);
        awaitCondition("wide", "Degraded", "True", "RankTooLarge",
                "spec.adapter.rank 64 exceeds the base's limit: ExpertModel small-base spec.engine.lora.maxLoraRank "
                        + "is 16");
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: first}
                spec:
                  adapter: {base: small-base, uri: "hf://org/first"}
                """);
        awaitCondition("first", "Progressing", "True", "BaseNotReady", "small-base");
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: second}
                spec:
                  adapter: {base: small-base, uri: "hf://org/second"}
                """);
        awaitCondition("second", "Degraded", "True", "TooManyAdapters", "spec.engine.lora.maxLoras");
        assertThat(get("first").getStatus().condition("Degraded").orElseThrow().getStatus()).isEqualTo("False");
    }

    @Test
    void theAutoscalerFollowsRouterDemandThroughTheScaleSubresource() {
        apply("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: sleepy}
                spec:
                  model: {uri: "hf://org/sleepy"}
                  replicas: 0
                  autoscaling: {minReplicas: 0, maxReplicas: 3, targetInFlightPerReplica: 2, scaleDownDelay: 3s}
                """);
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: lazy}
                spec:
                  experts: {names: [sleepy]}
                  strategy: {type: static, static: {experts: [{name: sleepy, weight: 1}]}}
                """, RoutingPolicy.class)).inNamespace(NS).serverSideApply();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("sleepy").getStatus() != null
                && get("sleepy").getStatus().autoscaler != null);
        assertThat(get("sleepy").getSpec().replicas).isZero();

        // a router holds one request for it: from zero to one at once
        demand("router-a", new DemandStatus.ExpertDemand(1, 1, 1, 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("sleepy").getSpec().replicas == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().deployments().inNamespace(NS)
                .withName("sleepy").get().getSpec().getReplicas() == 1);

        // five in flight at two per replica: three
        demand("router-a", new DemandStatus.ExpertDemand(5, 40, 0, 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("sleepy").getSpec().replicas == 3);
        // The status is written after the scale; the reconcile of the new spec.replicas then says "keeping 3" for
        // the same demand, so the message is awaited, and either wording of this decision accepted.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(get("sleepy").getStatus().autoscaler.desiredReplicas).isEqualTo(3);
            assertThat(get("sleepy").getStatus().autoscaler.message)
                    .containsPattern("^(scaling up to|keeping) 3: demand 5 in flight");
        });

        // idle: down to zero once scaleDownDelay passed, not before
        demand("router-a", new DemandStatus.ExpertDemand(0, 0, 0, 0));
        Instant idleSince = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("sleepy").getSpec().replicas == 0);
        assertThat(Duration.between(idleSince, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        // the report of a router replica that went away an hour ago is removed; the live one stays
        demand("router-gone", new DemandStatus.ExpertDemand(0, 0, 0, 0), Instant.now().minus(Duration.ofHours(1)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.resources(RoutingPolicy.class)
                .inNamespace(NS).withName("lazy").get().getStatus().demand).containsOnlyKeys("router-a"));
    }

    static void demand(String router, DemandStatus.ExpertDemand expert) {
        demand(router, expert, Instant.now());
    }

    static void demand(String router, DemandStatus.ExpertDemand expert, Instant observedAt) {
        DemandStatus report = new DemandStatus();
        report.observedAt = observedAt.toString();
        report.windowSeconds = 5;
        report.experts = Map.of("sleepy", expert);
        String json = Serialization.asJson(Map.of("status", Map.of("demand", Map.of(router, report))));
        client.resources(RoutingPolicy.class).inNamespace(NS).withName("lazy").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
