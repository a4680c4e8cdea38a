package dev.switchboard.api;

import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each invalid manifest is refused by the real API server with a message that names what is wrong. */
class InvalidManifestsAreRejectedTest {
    static final String NAMESPACE = "invalid-manifests";
    static KubernetesClient client;

    @BeforeAll
    static void setUp() throws IOException {
        client = KubeApiServer.shared().client();
        CrdInstaller.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static final String EXPERT = "apiVersion: switchboard.dev/v1alpha1\nkind: ExpertModel\nmetadata:\n  name: bad\nspec:\n";
    static final String POLICY = "apiVersion: switchboard.dev/v1alpha1\nkind: RoutingPolicy\nmetadata:\n  name: bad\nspec:\n";

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                Arguments.of("neither model nor external", EXPERT + "  replicas: 1\n",
                        "exactly one of spec.model (deploy vLLM) or spec.external"),
                Arguments.of("both model and external", EXPERT
                                + "  model: {uri: hf://org/name}\n  external: {url: https://x.example/v1}\n",
                        "exactly one of spec.model (deploy vLLM) or spec.external"),
                Arguments.of("adapter and model", EXPERT
                                + "  model: {uri: hf://org/name}\n  adapter: {base: llama, uri: hf://org/lora}\n",
                        "spec.adapter (a LoRA adapter on a base expert)"),
                Arguments.of("adapter with resources", EXPERT
                                + "  adapter: {base: llama, uri: hf://org/lora}\n  resources: {gpus: 1}\n",
                        "do not apply to spec.adapter"),
                Arguments.of("adapter from s3", EXPERT + "  adapter: {base: llama, uri: s3://bucket/lora}\n",
                        "spec.adapter.uri"),
                Arguments.of("adapter path leaving its claim", EXPERT
                                + "  adapter: {base: llama, uri: \"pvc://loras/../../models/other\"}\n",
                        "must not contain a '..' segment"),
                Arguments.of("adapter repository of '..'", EXPERT + "  adapter: {base: llama, uri: hf://org/..}\n",
                        "must not contain a '..' segment"),
                Arguments.of("adapter rank above 512", EXPERT
                                + "  adapter: {base: llama, uri: hf://org/lora, rank: 1024}\n",
                        "spec.adapter.rank"),
                Arguments.of("adapter base not a name", EXPERT + "  adapter: {base: Llama_3, uri: hf://org/lora}\n",
                        "spec.adapter.base"),
                Arguments.of("autoscaling min above max", EXPERT
                                + "  model: {uri: hf://org/name}\n  autoscaling: {minReplicas: 3, maxReplicas: 2}\n",
                        "minReplicas must not exceed spec.autoscaling.maxReplicas"),
                Arguments.of("autoscaling without max", EXPERT
                                + "  model: {uri: hf://org/name}\n  autoscaling: {minReplicas: 0}\n",
                        "spec.autoscaling.maxReplicas"),
                Arguments.of("autoscaling scale-down delay not a duration", EXPERT
                                + "  model: {uri: hf://org/name}\n  autoscaling: {maxReplicas: 2, scaleDownDelay: soon}\n",
                        "must be a duration of at least 1ms"),
                Arguments.of("autoscaling an external expert", EXPERT
                                + "  external: {url: https://x.example/v1}\n  autoscaling: {maxReplicas: 2}\n",
                        "spec.autoscaling applies only to deployed experts"),
                Arguments.of("holding wait not a duration", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: static}\n  holding: {maxWait: forever}\n",
                        "must be a duration of at least 1ms"),
                Arguments.of("holding queue negative", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: static}\n  holding: {maxQueued: -1}\n",
                        "spec.holding.maxQueued"),
                Arguments.of("unknown URI scheme", EXPERT + "  model: {uri: ftp://org/name}\n",
                        "spec.model.uri"),
                Arguments.of("negative GPUs", EXPERT + "  model: {uri: hf://org/name}\n  resources: {gpus: -1}\n",
                        "spec.resources.gpus"),
                Arguments.of("negative replicas", EXPERT + "  model: {uri: hf://org/name}\n  replicas: -2\n",
                        "spec.replicas"),
                Arguments.of("GPU memory fraction above 1", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine: {gpuMemoryUtilization: 1.5}\n",
                        "spec.engine.gpuMemoryUtilization"),
                Arguments.of("unknown task", EXPERT + "  task: rerank\n  model: {uri: hf://org/name}\n",
                        "spec.task must be generate (chat, completions, responses) or embed"),
                Arguments.of("embedding adapter", EXPERT
                                + "  task: embed\n  adapter: {base: llama, uri: hf://org/lora}\n",
                        "spec.task: embed does not apply to spec.adapter"),
                Arguments.of("unknown dtype", EXPERT + "  model: {uri: hf://org/name}\n  engine: {dtype: int3}\n",
                        "spec.engine.dtype"),
                Arguments.of("quality outside 0..1", EXPERT
                                + "  model: {uri: hf://org/name}\n  expertise: {quality: {math: 1.7}}\n",
                        "spec.expertise.quality"),
                Arguments.of("engine on an external expert", EXPERT
                                + "  external: {url: https://x.example/v1}\n  engine: {maxModelLen: 4096}\n",
                        "spec.engine and spec.cache apply only to deployed experts"),
                Arguments.of("external URL not http(s)", EXPERT + "  external: {url: 'tcp://x.example'}\n",
                        "spec.external.url"),
                Arguments.of("token secret without key", EXPERT
                                + "  model: {uri: hf://org/name, tokenSecretRef: {name: hf}}\n",
                        "spec.model.tokenSecretRef.key"),
                Arguments.of("unknown strategy type", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: magic}\n",
                        "spec.strategy.type"),
                Arguments.of("uncertainty without fallback", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: category\n    category: {}\n"
                                + "    uncertainty: {threshold: 0.5}\n",
                        "strategy.uncertainty needs spec.fallback"),
                Arguments.of("uncertainty metric unknown", POLICY
                                + "  experts: {names: [a]}\n  fallback: a\n  strategy:\n    type: category\n"
                                + "    category: {}\n    uncertainty: {threshold: 0.5, metric: vibes}\n",
                        "spec.strategy.uncertainty.metric"),
                Arguments.of("no experts selected", POLICY + "  experts: {}\n  strategy: {type: semantic}\n",
                        "spec.experts needs a selector or at least one name"),
                Arguments.of("cluster without artifact", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: cluster}\n",
                        "need a trained artifact in strategy.learned"),
                Arguments.of("static without weights", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: static}\n",
                        "strategy.type static needs strategy.static.experts"),
                Arguments.of("failover attempts above 10", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  failover: {maxAttempts: 50}\n",
                        "spec.failover.maxAttempts"),
                Arguments.of("retry on an unknown failure", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  failover: {retryOn: [always]}\n",
                        "spec.failover.retryOn"),
                Arguments.of("malformed timeout", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  timeouts: {connect: soon}\n",
                        "spec.timeouts.connect"),
                Arguments.of("thresholdCheapest without threshold", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: classifier\n"
                                + "    classifier: {policy: thresholdCheapest}\n    learned: {configMapRef: r}\n",
                        "thresholdCheapest needs strategy.classifier.threshold"),
                Arguments.of("category without settings or trained classifier", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: category}\n",
                        "strategy.type category needs strategy.category or a trained category classifier"),
                Arguments.of("missing strategy", POLICY + "  experts: {names: [a]}\n",
                        "spec.strategy"),
                Arguments.of("static expert not among the policy's experts", POLICY
                                + "  experts: {names: [a]}\n  fallback: g\n"
                                + "  strategy: {type: static, static: {experts: [{name: a}, {name: g}, {name: b}]}}\n",
                        "spec.strategy.static.experts: Invalid value: \"object\": each expert of "
                                + "strategy.static.experts must be listed in spec.experts.names or be spec.fallback"),
                Arguments.of("route expert not among the policy's experts", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: category\n    category:\n"
                                + "      routes: [{category: x, experts: [{name: a}]},\n"
                                + "               {category: y, experts: [{name: c}]}]\n",
                        "spec.strategy.category.routes: Invalid value: \"object\": each expert of "
                                + "strategy.category.routes must be listed in spec.experts.names or be spec.fallback"),
                Arguments.of("meta expert not among the policy's experts", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: metaLLM, metaLLM: {expert: meta}}\n",
                        "spec.strategy.metaLLM.expert: Invalid value: \"object\": expert meta is not among the "
                                + "experts of the policy: list it in spec.experts.names"),
                Arguments.of("all static weights 0", POLICY
                                + "  experts: {names: [a, b]}\n"
                                + "  strategy: {type: static, static: {experts: [{name: a, weight: 0},\n"
                                + "                                              {name: b, weight: 0}]}}\n",
                        "spec.strategy.static.experts: Invalid value: \"object\": all weights are 0"),
                Arguments.of("all route weights 0", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: category\n    category:\n"
                                + "      routes: [{category: x, experts: [{name: a, weight: 0}]}]\n",
                        "spec.strategy.category.routes[0].experts: Invalid value: \"object\": all weights are 0"),
                Arguments.of("static expert listed twice", POLICY
                                + "  experts: {names: [a]}\n"
                                + "  strategy: {type: static, static: {experts: [{name: a}, {name: a, weight: 2}]}}\n",
                        "spec.strategy.static.experts: Invalid value: \"object\": each expert may be listed once"),
                Arguments.of("category routed twice", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: category\n    category:\n"
                                + "      routes: [{category: x, experts: [{name: a}]},\n"
                                + "               {category: x, experts: [{name: a}]}]\n",
                        "spec.strategy.category.routes: Invalid value: \"object\": each category may be routed once"),
                Arguments.of("category defined twice", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: category\n"
                                + "    category: {categories: [{name: x}, {name: x}]}\n",
                        "spec.strategy.category.categories: Invalid value: \"object\": each category may be defined "
                                + "once"),
                Arguments.of("a shadow that is the policy itself", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  shadow: {policy: bad}\n",
                        "spec.shadow.policy: Invalid value: \"object\": spec.shadow.policy names this policy itself"),
                Arguments.of("a shadow in another namespace", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  shadow: {policy: other-namespace/candidate}\n",
                        "spec.shadow.policy: Invalid value: \"other-namespace/candidate\""),
                Arguments.of("a shadow without a policy", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  shadow: {sampleAnswers: 0.01}\n",
                        "spec.shadow.policy: Required value"),
                Arguments.of("a shadow answering more than 5% of requests", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  shadow: {policy: candidate, sampleAnswers: 0.5}\n",
                        "spec.shadow.sampleAnswers"),
                // names that cannot become the objects derived from them
                Arguments.of("expert name with a dot (cannot name a Service)", named(EXPERT, "math.v2")
                                + "  model: {uri: hf://org/name}\n",
                        "metadata.name must be a DNS-1035 label"),
                Arguments.of("expert name starting with a digit", named(EXPERT, "7b")
                                + "  model: {uri: hf://org/name}\n",
                        "metadata.name must be a DNS-1035 label"),
                Arguments.of("expert name over 63 characters", named(EXPERT, "e".repeat(64))
                                + "  model: {uri: hf://org/name}\n",
                        "metadata.name must be at most 63 characters"),
                Arguments.of("policy name too long for <name>-router", named(POLICY, "p".repeat(57))
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n",
                        "metadata.name must be at most 56 characters: the router's Service <name>-router must fit"),
                Arguments.of("policy name with a dot", named(POLICY, "coe.v2")
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n",
                        "metadata.name must be a DNS-1035 label"),
                // durations
                Arguments.of("zero connect timeout", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n  timeouts: {connect: 0s}\n",
                        "spec.timeouts.connect: Invalid value: \"string\": must be a duration of at least 1ms"),
                Arguments.of("zero request timeout written as 0h0m", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  timeouts: {request: 0h0m}\n",
                        "spec.timeouts.request: Invalid value: \"string\": must be a duration of at least 1ms"),
                Arguments.of("negative first-byte timeout", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  timeouts: {firstByte: -5s}\n",
                        "spec.timeouts.firstByte: Invalid value: \"string\": must be a duration of at least 1ms"),
                Arguments.of("circuit breaker open forever", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  failover: {circuitBreakerOpenFor: forever}\n",
                        "spec.failover.circuitBreakerOpenFor: Invalid value: \"string\": must be a duration of at "
                                + "least 1ms such as 500ms, 30s, 5m or 1h30m, not \"forever\""),
                Arguments.of("circuit breaker open for 0ms", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  failover: {circuitBreakerOpenFor: 0ms}\n",
                        "spec.failover.circuitBreakerOpenFor: Invalid value: \"string\": must be a duration"),
                // env
                Arguments.of("env entry without a name", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine: {env: [{value: '1'}]}\n",
                        "spec.engine.env[0].name: Required value"),
                Arguments.of("env name with a space", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine: {env: [{name: 'MY VAR', value: '1'}]}\n",
                        "spec.engine.env[0].name"),
                Arguments.of("env with both value and valueFrom", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine:\n    env:\n"
                                + "    - {name: A, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}\n",
                        "spec.engine.env[0]: Invalid value: \"object\": value and valueFrom are mutually exclusive"),
                Arguments.of("env name given twice (the Deployment's env is keyed by name)", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine: {env: [{name: A, value: '1'}, "
                                + "{name: A, value: '2'}]}\n",
                        "spec.engine.env: Invalid value: \"array\": each name may appear once"),
                // bounds
                Arguments.of("more than 64 engine args", EXPERT
                                + "  model: {uri: hf://org/name}\n  engine: {args: [" + "x,".repeat(65) + "y]}\n",
                        "spec.engine.args: Too many"),
                Arguments.of("served name over 253 characters", EXPERT
                                + "  model: {uri: hf://org/name, servedName: " + "m".repeat(254) + "}\n",
                        "spec.model.servedName: Too long"),
                Arguments.of("more than 32 node selector labels", EXPERT
                                + "  model: {uri: hf://org/name}\n  resources: {nodeSelector: {"
                                + java.util.stream.IntStream.range(0, 33).mapToObj(i -> "k" + i + ": v")
                                .collect(java.util.stream.Collectors.joining(", ")) + "}}\n",
                        "spec.resources.nodeSelector: Too many"),
                Arguments.of("more than 256 expertise examples", EXPERT
                                + "  model: {uri: hf://org/name}\n  expertise: {examples: [" + "q,".repeat(256)
                                + "q]}\n",
                        "spec.expertise.examples: Too many"),
                Arguments.of("secret key with a slash", EXPERT
                                + "  model: {uri: hf://org/name, tokenSecretRef: {name: hf, key: a/b}}\n",
                        "spec.model.tokenSecretRef.key"),
                Arguments.of("model name over 253 characters", POLICY
                                + "  modelName: " + "m".repeat(254) + "\n  experts: {names: [a]}\n"
                                + "  strategy: {type: semantic}\n",
                        "spec.modelName: Too long"),
                Arguments.of("routing instructions over 4096 characters", POLICY
                                + "  experts: {names: [a]}\n  strategy:\n    type: metaLLM\n"
                                + "    metaLLM: {expert: a, instructions: " + "i".repeat(4097) + "}\n",
                        "spec.strategy.metaLLM.instructions: Too long"),
                Arguments.of("request cap of 0 tokens", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  requestLimits: {maxTokens: 0}\n",
                        "spec.requestLimits.maxTokens: Invalid value: 0: spec.requestLimits.maxTokens in body should "
                                + "be greater than or equal to 1"),
                Arguments.of("request cap above the bound", POLICY
                                + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                                + "  requestLimits: {maxTokens: 10000001, maxN: 129}\n",
                        "spec.requestLimits.maxTokens: Invalid value: 10000001"));
    }

    /** {@code manifest} (EXPERT or POLICY) with another metadata.name. */
    private static String named(String manifest, String name) {
        return manifest.replace("  name: bad\n", "  name: " + name + "\n");
    }

    @Test
    void longestNamesThatFitAreAccepted() {
        accepted(named(EXPERT, "e".repeat(63)) + "  model: {uri: hf://org/name}\n");
        accepted(named(POLICY, "p".repeat(56)) + "  experts: {names: [a]}\n  strategy: {type: semantic}\n");
        accepted(POLICY + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                + "  timeouts: {connect: 1ms, firstByte: 1m30s, request: 1.5h}\n"
                + "  failover: {circuitBreakerOpenFor: 250ms}\n");
        accepted(POLICY + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                + "  requestLimits: {maxTokens: 10000000, maxN: 128}\n");
        accepted(EXPERT + "  model: {uri: hf://org/name}\n  engine:\n    env:\n    - {name: VLLM_LOGGING_LEVEL, "
                + "value: DEBUG}\n    - {name: my.setting-2, valueFrom: {secretKeyRef: {name: s, key: k}}}\n");
    }

    @Test
    void categoryWithOnlyATrainedClassifierIsAccepted() {
        String yaml = POLICY + "  experts: {names: [a]}\n  strategy:\n    type: category\n"
                + "    learned: {configMapRef: category-router}\n";
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        GenericKubernetesResource.class);
        assertThat(client.resource(resource).inNamespace(NAMESPACE).dryRun().create()).isNotNull();
    }

    @Test
    void strategyExpertsMayComeFromTheSelectorTheFallbackOrAnotherStrategysSettings() {
        // the selector may select them (checked by the operator and the router, which see the ExpertModels)
        accepted(POLICY + "  experts: {selector: {matchLabels: {tier: x}}}\n"
                + "  strategy: {type: static, static: {experts: [{name: b}]}}\n");
        accepted(POLICY + "  experts: {names: [a]}\n  fallback: g\n"
                + "  strategy: {type: metaLLM, metaLLM: {expert: g}}\n");
        // the experts named by settings of a strategy type not in use are not checked, as the router ignores them
        accepted(POLICY + "  experts: {names: [a]}\n"
                + "  strategy: {type: semantic, static: {experts: [{name: b}]}}\n");
    }

    @Test
    void aShadowPolicyOfTheSameNamespaceIsAccepted() {
        accepted(POLICY + "  experts: {names: [a]}\n  strategy: {type: semantic}\n"
                + "  shadow: {policy: candidate-v2, sampleAnswers: 0.01}\n");
    }

    private static void accepted(String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        GenericKubernetesResource.class);
        assertThat(client.resource(resource).inNamespace(NAMESPACE).dryRun().create()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void isRejectedNamingTheField(String description, String yaml, String expectedMessage) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        GenericKubernetesResource.class);

        KubernetesClientException error = catchThrowableOfType(KubernetesClientException.class,
                () -> client.resource(resource).inNamespace(NAMESPACE).dryRun().create());

        assertThat(error).as("%s must be rejected", description).isNotNull();
        assertThat(error.getCode()).isEqualTo(422);
        assertThat(error.getMessage()).contains(expectedMessage);
    }
}
