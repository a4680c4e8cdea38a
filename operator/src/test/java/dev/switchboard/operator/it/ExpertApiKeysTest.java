package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.SwitchboardStatus;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.trust.TrustPolicy;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With expert API keys on, every deployed expert's vLLM requires the namespace's key: key {@code api-key} of the
 * Secret the admin creates and grants to the operator (Helm value expertApiKeys.secretName, default
 * switchboard-expert-api-key). The operator runs under its ClusterRole (no Secret permission at all): without the
 * granted Secret nothing is deployed and the expert says why (SecretNotGranted, naming the setting); with it vLLM
 * gets the key by secretKeyRef, status points the routers at it and the router Role of each policy selecting the
 * expert may read exactly that Secret; a revoked grant is noticed, and turning keys off removes them again.
 */
class ExpertApiKeysTest {
    static final String NS = "api-keys-it";
    static final String KEY_SECRET = OperatorConfig.DEFAULT_EXPERT_API_KEY_SECRET;
    static final String OPERATOR_SA = "switchboard-operator";
    /** Loopback endpoints for the external expert, and spec.engine.env: the test sets VLLM_API_KEY itself. */
    static final TrustPolicy TRUST = TestResources.loopbackTrust().withAllowEngineEnv(true);
    static KubernetesClient admin;
    static KubernetesClient operatorClient;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        admin = KubeApiServer.shared().client();
        InProcessOperator.installCrds(admin);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(admin, NS);
        operatorClient = InProcessOperator.operatorServiceAccountClient(admin, NS, OPERATOR_SA);
        operator = InProcessOperator.start(operatorClient, OperatorConfig.defaults().withTrust(TRUST)
                .withExpertApiKeys(true), NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void onlyTheAdminsGrantedSecretIsTheKeyAndVllmNeverRunsWithoutIt() {
        // Someone's Secret of that name, not granted to Switchboard: neither used nor changed.
        admin.resource(new SecretBuilder().withNewMetadata().withName(KEY_SECRET).withNamespace(NS).endMetadata()
                .addToStringData("api-key", "someone-elses").build()).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math, namespace: api-keys-it}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct"}
                  engine: {env: [{name: VLLM_API_KEY, value: "chosen-by-the-user"}]}
                """, ExpertModel.class)).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: frontier, namespace: api-keys-it}
                spec:
                  external: {url: "http://127.0.0.1:1/v1", model: frontier}
                """, ExpertModel.class)).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: api-keys-it}
                spec:
                  experts: {names: [math, frontier]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """, RoutingPolicy.class)).create();

        awaitRefused("is not granted to Switchboard");
        assertThat(deployment("math")).as("no vLLM without its key").isNull();
        assertThat(expert("math").getStatus().apiKeySecretRef).isNull();
        assertThat(admin.secrets().inNamespace(NS).withName(KEY_SECRET).get().getData().get("api-key"))
                .isEqualTo(Base64.getEncoder().encodeToString("someone-elses".getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(routerSecrets()).isEmpty());
        // An external expert needs no expert key: its own spec.external.apiKeySecretRef is what routers send.
        await().atMost(Duration.ofSeconds(20)).until(() -> expert("frontier").getStatus() != null
                && expert("frontier").getStatus().condition("Degraded").isPresent());
        assertThat(condition(expert("frontier"), "Degraded").getReason()).isNotEqualTo("SecretNotGranted");
        assertThat(expert("frontier").getStatus().apiKeySecretRef).isNull();

        // Granted, but the Secret does not exist: still nothing deployed.
        admin.secrets().inNamespace(NS).withName(KEY_SECRET).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.secrets().inNamespace(NS).withName(KEY_SECRET)
                .get() == null);
        TrustBoundaryTest.grantToOperator(admin, NS, KEY_SECRET, OPERATOR_SA, NS);
        scale("math", 2); // a spec change: reconciled now rather than at the next grant re-check
        awaitRefused("does not exist in " + NS);
        assertThat(deployment("math")).as("no vLLM without its key").isNull();

        // The admin creates it: vLLM requires the key, status names it, the router may read exactly that Secret.
        String key = "k-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        admin.resource(new SecretBuilder().withNewMetadata().withName(KEY_SECRET).withNamespace(NS).endMetadata()
                .addToStringData("api-key", key).build()).create();
        scale("math", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("math") != null
                && expert("math").getStatus().apiKeySecretRef != null);
        assertThat(expert("math").getStatus().apiKeySecretRef.name).isEqualTo(KEY_SECRET);
        assertThat(expert("math").getStatus().apiKeySecretRef.key).isEqualTo("api-key");
        assertThat(keyEnv()).as("the expert API key replaces the one of spec.engine.env").satisfies(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(KEY_SECRET);
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
        });
        assertThat(String.join(" ", deployment("math").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getArgs())).as("the key is not on the command line").doesNotContain(key).doesNotContain("--api-key");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(routerSecretRules())
                .singleElement().satisfies(rule -> {
                    assertThat(rule.getResourceNames()).containsExactly(KEY_SECRET);
                    assertThat(rule.getVerbs()).containsExactly("get");
                }));

        // The operator never writes the Secret: reconciles leave it as the admin made it.
        String version = admin.secrets().inNamespace(NS).withName(KEY_SECRET).get().getMetadata()
                .getResourceVersion();
        scale("math", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("math").getSpec().getReplicas() == 2);
        Secret after = admin.secrets().inNamespace(NS).withName(KEY_SECRET).get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();

        // The grant revoked: the expert is refused (its running vLLM keeps its key), the router loses the Secret.
        admin.rbac().roleBindings().inNamespace(NS).withName("switchboard-may-use-" + KEY_SECRET).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.rbac().roleBindings().inNamespace(NS)
                .withName("switchboard-may-use-" + KEY_SECRET).get() == null);
        scale("math", 1);
        awaitRefused("is not granted to Switchboard");
        assertThat(keyEnv().getValueFrom().getSecretKeyRef().getName()).isEqualTo(KEY_SECRET);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(routerSecrets()).isEmpty());
        TrustBoundaryTest.grantToOperator(admin, NS, KEY_SECRET, OPERATOR_SA, NS);
        scale("math", 2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(routerSecrets())
                .containsExactly(KEY_SECRET));

        // Turned off: vLLM runs without a key, status no longer points routers at one, the router loses the Secret.
        operator.close();
        operator = InProcessOperator.start(operatorClient, OperatorConfig.defaults().withTrust(TRUST), NS);
        try {
            scale("math", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> expert("math").getStatus().apiKeySecretRef == null);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keyEnv().getValue())
                    .isEqualTo("chosen-by-the-user"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(routerSecrets()).isEmpty());
        } finally {
            operator.close();
            operator = InProcessOperator.start(operatorClient, OperatorConfig.defaults().withTrust(TRUST)
                    .withExpertApiKeys(true), NS);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void adaptersAreNotServedWhileBasesRequireAKeyTheOperatorDoesNotRead() {
        admin.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: keyed-base, namespace: api-keys-it}
                spec:
                  model: {uri: "hf://org/base"}
                  replicas: 0
                """, ExpertModel.class)).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: keyed-lora, namespace: api-keys-it}
                spec:
                  adapter: {base: keyed-base, uri: "hf://org/lora"}
                """, ExpertModel.class)).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition degraded = condition(expert("keyed-lora"), "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("ExpertApiKeysEnabled");
            assertThat(degraded.getMessage()).startsWith("spec.adapter: ").contains("expertApiKeys.enabled");
            assertThat(condition(expert("keyed-lora"), "Ready").getStatus()).isEqualTo("False");
        });
        Deployment base = deployment("keyed-base");
        if (base != null) {
            assertThat(base.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                    .as("no LoRA flags for adapters it cannot be served").doesNotContain("--enable-lora");
        }
    }

    /** Waits until math is not realised for its key Secret, naming the setting, in the current generation. */
    static void awaitRefused(String because) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ExpertModel math = expert("math");
            assertThat(math.getStatus()).isNotNull();
            assertThat(math.getStatus().observedGeneration).isEqualTo(math.getMetadata().getGeneration());
            Condition degraded = condition(math, "Degraded");
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("SecretNotGranted");
            assertThat(degraded.getMessage()).startsWith("expertApiKeys.secretName: Secret " + KEY_SECRET + " ")
                    .contains(because);
            assertThat(condition(math, "Ready").getStatus()).isEqualTo("False");
        });
    }

    static ExpertModel expert(String name) {
        return admin.resources(ExpertModel.class).inNamespace(NS).withName(name).get();
    }

    static Condition condition(ExpertModel expert, String type) {
        SwitchboardStatus status = expert.getStatus();
        return status == null ? null : status.condition(type).orElse(null);
    }

    static Deployment deployment(String name) {
        return admin.apps().deployments().inNamespace(NS).withName(name).get();
    }

    static void scale(String expert, int replicas) {
        admin.resources(ExpertModel.class).inNamespace(NS).withName(expert).scale(replicas);
    }

    static EnvVar keyEnv() {
        return deployment("math").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("VLLM_API_KEY")).reduce((a, b) -> {
                    throw new AssertionError("two VLLM_API_KEY entries");
                }).orElseThrow();
    }

    static List<PolicyRule> routerSecretRules() {
        var role = admin.rbac().roles().inNamespace(NS).withName("coe-router").get();
        assertThat(role).as("the router's Role").isNotNull();
        return role.getRules().stream().filter(r -> r.getResources().contains("secrets")).toList();
    }

    static List<String> routerSecrets() {
        return routerSecretRules().stream().flatMap(r -> r.getResourceNames().stream()).toList();
    }
}
