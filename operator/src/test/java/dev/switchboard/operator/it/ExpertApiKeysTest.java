package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.trust.TrustPolicy;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With expert API keys on, each deployed expert's vLLM requires a key the operator generated (env VLLM_API_KEY from
 * Secret {@code <expert>-api-key}), status points the routers at it, and the router Role of each policy selecting
 * the expert may read exactly that Secret.
 */
class ExpertApiKeysTest {
    static final String NS = "api-keys-it";
    /** The admin allows spec.engine.env: the test sets VLLM_API_KEY itself. */
    static final TrustPolicy ENV_ALLOWED = TrustPolicy.strict().withAllowEngineEnv(true);
    static KubernetesClient client;
    static InProcessOperator operator;

    @BeforeAll
    static void start() {
        client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        KubeApiServer.shared().withControllerManager();
        InProcessOperator.createNamespace(client, NS);
        operator = InProcessOperator.start(client, OperatorConfig.defaults().withTrust(ENV_ALLOWED)
                .withExpertApiKeys(true), NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theOperatorGeneratesTheKeyVllmRequiresAndTheRouterMayReadIt() {
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: math, namespace: api-keys-it}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Math-7B-Instruct"}
                  engine: {env: [{name: VLLM_API_KEY, value: "chosen-by-the-user"}]}
                """, ExpertModel.class)).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: api-keys-it}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """, RoutingPolicy.class)).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ExpertModel e = client.resources(ExpertModel.class).inNamespace(NS).withName("math").get();
            return e.getStatus() != null && e.getStatus().apiKeySecretRef != null;
        });
        ExpertModel math = client.resources(ExpertModel.class).inNamespace(NS).withName("math").get();
        assertThat(math.getStatus().apiKeySecretRef.name).isEqualTo("math-api-key");
        assertThat(math.getStatus().apiKeySecretRef.key).isEqualTo("api-key");

        Secret secret = client.secrets().inNamespace(NS).withName("math-api-key").get();
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(math.getMetadata().getUid()));
        String key = new String(Base64.getDecoder().decode(secret.getData().get("api-key")), StandardCharsets.UTF_8);
        assertThat(key).hasSize(43).matches("[A-Za-z0-9_-]+"); // 256 random bits, base64url

        Deployment deployment = client.apps().deployments().inNamespace(NS).withName("math").get();
        var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env.stream().filter(e -> e.getName().equals("VLLM_API_KEY")))
                .as("the generated key replaces the one of spec.engine.env").singleElement().satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("math-api-key");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
                });
        assertThat(String.join(" ", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()))
                .as("the key is not on the command line").doesNotContain(key).doesNotContain("--api-key");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.rbac().roles().inNamespace(NS)
                .withName("coe-router").get().getRules()).anySatisfy(rule -> {
                    assertThat(rule.getResources()).containsExactly("secrets");
                    assertThat(rule.getResourceNames()).containsExactly("math-api-key");
                    assertThat(rule.getVerbs()).containsExactly("get");
                }));

        // Reconciles keep the key: scaling the expert does not regenerate it.
        String version = secret.getMetadata().getResourceVersion();
        client.resources(ExpertModel.class).inNamespace(NS).withName("math").scale(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.apps().deployments().inNamespace(NS)
                .withName("math").get().getSpec().getReplicas() == 2);
        assertThat(client.secrets().inNamespace(NS).withName("math-api-key").get().getMetadata()
                .getResourceVersion()).isEqualTo(version);

        // Turned off: vLLM runs without a key and status no longer points routers at one.
        operator.close();
        operator = InProcessOperator.start(client, OperatorConfig.defaults().withTrust(ENV_ALLOWED), NS);
        try {
            client.resources(ExpertModel.class).inNamespace(NS).withName("math").scale(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(ExpertModel.class).inNamespace(NS)
                    .withName("math").get().getStatus().apiKeySecretRef == null);
            assertThat(client.apps().deployments().inNamespace(NS).withName("math").get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getEnv()).filteredOn(e -> e.getName().equals("VLLM_API_KEY"))
                    .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("chosen-by-the-user"));
        } finally {
            operator.close();
            operator = InProcessOperator.start(client, OperatorConfig.defaults().withTrust(ENV_ALLOWED)
                .withExpertApiKeys(true), NS);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecretOfThatNameTheExpertDoesNotOwnIsNeitherUsedNorReplaced() {
        client.resource(new SecretBuilder().withNewMetadata().withName("code-api-key").withNamespace(NS)
                .endMetadata().addToStringData("api-key", "someone-elses").build()).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: ExpertModel
                metadata: {name: code, namespace: api-keys-it}
                spec:
                  model: {uri: "hf://Qwen/Qwen2.5-Coder-7B-Instruct"}
                """, ExpertModel.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ExpertModel e = client.resources(ExpertModel.class).inNamespace(NS).withName("code").get();
            return e.getStatus() != null && e.getStatus().condition("Degraded")
                    .map(c -> "ApplyFailed".equals(c.getReason())).orElse(false);
        });
        ExpertModel code = client.resources(ExpertModel.class).inNamespace(NS).withName("code").get();
        assertThat(code.getStatus().condition("Ready").orElseThrow().getMessage())
                .contains("Secret code-api-key exists and is not owned by ExpertModel code");
        assertThat(client.apps().deployments().inNamespace(NS).withName("code").get())
                .as("no vLLM without its key").isNull();
        assertThat(client.secrets().inNamespace(NS).withName("code-api-key").get().getData().get("api-key"))
                .isEqualTo(Base64.getEncoder().encodeToString("someone-elses".getBytes(StandardCharsets.UTF_8)));
    }
}
