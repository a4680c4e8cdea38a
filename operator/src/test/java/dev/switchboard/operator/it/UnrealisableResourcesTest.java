package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.SwitchboardStatus;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.trust.TrustPolicy;
import dev.switchboard.testing.Crds;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resources the operator cannot realise get Ready=False and Degraded=True with a reason and a message naming the
 * field within one reconcile, and leave nothing half-made behind. The CRDs refuse most such manifests at admission;
 * here they are created through CRDs without those checks ({@link AdmissionFreeCrds}), so that what is tested is
 * the operator's own checks. One case per class of failure: a name that cannot become a Service, an env entry
 * without a name, a policy name too long for its router, durations that are not positive, two experts serving the
 * same model name, and an API call that fails part-way.
 */
class UnrealisableResourcesTest {
    static final String NS = "unrealisable-it";
    static KubernetesClient client;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        KubeApiServer.shared().withControllerManager(); // quota status for the part-way failure
        AdmissionFreeCrds.install(client);
        InProcessOperator.createNamespace(client, NS);
        // The admin allows spec.engine.env here: what is tested is the operator's own checks of the spec.
        operator = InProcessOperator.start(client, OperatorConfig.defaults()
                .withTrust(TrustPolicy.strict().withAllowEngineEnv(true)), NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        Crds.install(client); // the real CRDs back for the tests that follow in this JVM
    }

    /** Creates {@code yaml}; retries while the API server still validates against the CRD replaced just before. */
    static <T extends HasMetadata> void create(String yaml, Class<T> type) {
        T resource = Serialization.unmarshal(yaml, type);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreException(
                KubernetesClientException.class).until(() -> client.resource(resource).create() != null);
    }

    static <S extends SwitchboardStatus> Condition condition(S status, String type) {
        return status == null ? null : status.condition(type).orElse(null);
    }

    ExpertModel expert(String name) {
        return client.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    RoutingPolicy policy(String name) {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName(name).get();
    }

    /** Waits for the status of the current generation, then checks the Ready and Degraded conditions. */
    void assertExpertNotRealised(String name, String reason, String... messageParts) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            ExpertModel e = expert(name);
            return e.getStatus() != null && e.getMetadata().getGeneration().equals(e.getStatus().observedGeneration)
                    && condition(e.getStatus(), "Degraded") != null
                    && reason.equals(condition(e.getStatus(), "Degraded").getReason());
        });
        ExpertModel e = expert(name);
        assertThat(condition(e.getStatus(), "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(e.getStatus(), "Ready").getReason()).isEqualTo(reason);
        assertThat(condition(e.getStatus(), "Degraded").getStatus()).isEqualTo("True");
        assertThat(condition(e.getStatus(), "Degraded").getMessage()).contains(messageParts);
        assertThat(e.getStatus().phase).isEqualTo("Degraded");
    }

    void assertPolicyNotRealised(String name, String reason, String... messageParts) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            RoutingPolicy p = policy(name);
            return p.getStatus() != null && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration)
                    && condition(p.getStatus(), "Degraded") != null
                    && reason.equals(condition(p.getStatus(), "Degraded").getReason());
        });
        RoutingPolicy p = policy(name);
        assertThat(condition(p.getStatus(), "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(p.getStatus(), "Ready").getReason()).isEqualTo(reason);
        assertThat(condition(p.getStatus(), "Ready").getMessage()).contains(messageParts);
        assertThat(condition(p.getStatus(), "Degraded").getStatus()).isEqualTo("True");
        assertThat(p.getStatus().phase).isEqualTo("Degraded");
    }

    void assertNothingMadeFor(String expert) {
        assertThat(client.apps().deployments().inNamespace(NS).withName(expert).get()).isNull();
        assertThat(client.services().inNamespace(NS).withName(expert).get()).isNull();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(expert + "-cache").get()).isNull();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anExpertNameWithADotCreatesNothingAndSaysWhy() {
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math.v2, namespace: unrealisable-it}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct"}
                  cache: {size: 50Gi}
                """, ExpertModel.class);
        assertExpertNotRealised("math.v2", "InvalidSpec", "metadata.name: 'math.v2' is not a DNS-1035 label",
                "it names the expert's Service");
        assertThat(condition(expert("math.v2").getStatus(), "Progressing").getStatus()).isEqualTo("False");
        assertNothingMadeFor("math.v2");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(ev -> {
            assertThat(ev.getInvolvedObject().getName()).isEqualTo("math.v2");
            assertThat(ev.getType()).isEqualTo("Warning");
            assertThat(ev.getReason()).isEqualTo("InvalidSpec");
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEnvEntryWithoutANameCreatesNothingAndSaysWhich() {
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: code, namespace: unrealisable-it}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                  engine: {env: [{name: VLLM_LOGGING_LEVEL, value: DEBUG}, {value: "1"}]}
                """, ExpertModel.class);
        assertExpertNotRealised("code", "InvalidSpec",
                "spec.engine.env[1].name: missing: every environment variable needs a name");
        assertNothingMadeFor("code");

        // Fixing the spec realises it: the same expert converges without being recreated.
        client.resources(ExpertModel.class).inNamespace(NS).withName("code").edit(e -> {
            e.getSpec().engine.env.get(1).name = "VLLM_USE_V1";
            return e;
        });
        await().atMost(Duration.ofSeconds(15)).until(() ->
                client.apps().deployments().inNamespace(NS).withName("code").get() != null
                        && client.services().inNamespace(NS).withName("code").get() != null);
        await().atMost(Duration.ofSeconds(15)).until(() -> !"InvalidSpec".equals(
                condition(expert("code").getStatus(), "Degraded").getReason()));
        assertThat(condition(expert("code").getStatus(), "Degraded").getStatus()).isEqualTo("False");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPolicyNameTooLongForItsRouterCreatesNothingAndSaysWhy() {
        String name = "a-policy-name-that-leaves-no-room-for-the-router-suffix-x";
        assertThat(name).hasSize(57);
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: %s, namespace: unrealisable-it}
                spec:
                  experts: {names: [code]}
                  strategy: {type: static, static: {experts: [{name: code}]}}
                """.formatted(name), RoutingPolicy.class);
        assertPolicyNotRealised(name, "InvalidPolicy", "metadata.name: '" + name + "' has 57 characters, at most 56 "
                + "fit: it names the router's Service <name>-router");
        String router = name + "-router";
        assertThat(client.apps().deployments().inNamespace(NS).withName(router).get()).isNull();
        assertThat(client.services().inNamespace(NS).withName(router).get()).isNull();
        assertThat(client.serviceAccounts().inNamespace(NS).withName(router).get()).isNull();
        assertThat(client.rbac().roles().inNamespace(NS).withName(router).get()).isNull();
        assertThat(client.rbac().roleBindings().inNamespace(NS).withName(router).get()).isNull();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void zeroAndEndlessDurationsMakeThePolicyInvalid() {
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: hasty, namespace: unrealisable-it}
                spec:
                  experts: {names: [code]}
                  strategy: {type: static, static: {experts: [{name: code}]}}
                  timeouts: {connect: 0s, firstByte: 30s, request: 10m}
                  failover: {circuitBreakerOpenFor: forever}
                """, RoutingPolicy.class);
        assertPolicyNotRealised("hasty", "InvalidPolicy",
                "spec.timeouts.connect: must be a duration of at least 1ms such as 500ms, 30s, 5m or 1h30m, not \"0s\"",
                "spec.failover.circuitBreakerOpenFor: must be a duration of at least 1ms such as 500ms, 30s, 5m or "
                        + "1h30m, not \"forever\"");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void expertsServingTheSameModelNameMakeThePolicyInvalid() {
        for (String name : new String[]{"legal", "legal-canary"}) {
            create("""
                    apiVersion: switchboard.dev/v1alpha1
                    kind: ExpertModel
                    metadata: {name: %s, namespace: unrealisable-it}
                    spec:
                      model: {uri: "hf://org/%s", servedName: saul-7b}
                    """.formatted(name, name), ExpertModel.class);
        }
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: law, namespace: unrealisable-it}
                spec:
                  experts: {names: [legal, legal-canary]}
                  strategy: {type: static, static: {experts: [{name: legal, weight: 9}, {name: legal-canary}]}}
                """, RoutingPolicy.class);
        assertPolicyNotRealised("law", "InvalidPolicy", "spec.experts: experts legal, legal-canary all serve the "
                + "model name 'saul-7b'");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anApiCallFailingPartWayIsReportedAndTheNextAttemptConverges() {
        // A quota of zero Deployments: the expert's Service is created, its Deployment refused (403).
        client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-deployments").withNamespace(NS)
                .endMetadata().withNewSpec().withHard(Map.of("count/deployments.apps",
                        new io.fabric8.kubernetes.api.model.Quantity("0"))).endSpec().build()).create();
        create("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: medical, namespace: unrealisable-it}
                spec:
                  model: {uri: "hf://org/medical"}
                """, ExpertModel.class);
        assertExpertNotRealised("medical", "ApplyFailed", "deployments.apps \"medical\" is forbidden",
                "the operator retries");
        assertThat(condition(expert("medical").getStatus(), "Progressing").getStatus())
                .as("the operator tries again by itself").isEqualTo("True");
        assertThat(client.services().inNamespace(NS).withName("medical").get())
                .as("the Service comes before the Deployment").isNotNull();
        assertThat(client.apps().deployments().inNamespace(NS).withName("medical").get()).isNull();

        client.resourceQuotas().inNamespace(NS).withName("no-deployments").delete();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                client.apps().deployments().inNamespace(NS).withName("medical").get() != null
                        && !"ApplyFailed".equals(condition(expert("medical").getStatus(), "Degraded").getReason()));
        assertThat(condition(expert("medical").getStatus(), "Degraded").getStatus()).isEqualTo("False");
    }
}
