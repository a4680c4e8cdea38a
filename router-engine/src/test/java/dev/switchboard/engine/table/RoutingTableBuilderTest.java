package dev.switchboard.engine.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.InvalidPolicyException;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyBuilder;
import dev.switchboard.engine.UpstreamFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.switchboard.engine.Fixtures.expert;
import static dev.switchboard.engine.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingTableBuilderTest {
    static ExpertModel specialist(String name, String namespace, String tier, String category) {
        return expert("""
                metadata: {name: %s, namespace: %s, labels: {team: demo, tier: %s}}
                spec:
                  model: {uri: hf://org/%s}
                  expertise: {categories: [%s], examples: ["an example about %s"]}
                """.formatted(name, namespace, tier, name, category, category));
    }

    static final ExpertModel MATH = expert("""
            metadata: {name: math, namespace: ai, labels: {team: demo, tier: specialist}}
            spec:
              model: {uri: hf://Qwen/Qwen2.5-Math-7B-Instruct, servedName: qwen-math}
              expertise:
                categories: [math]
                description: Mathematics.
                examples: [Solve 3x + 7 = 22.]
                quality: {math: 0.83}
              cost: {relative: 2}
            """);
    static final ExpertModel FRONTIER = expert("""
            metadata: {name: frontier, namespace: ai, labels: {team: demo, tier: frontier}}
            spec:
              external:
                url: https://llm.example.com/v1
                model: frontier-large
                apiKeySecretRef: {name: frontier-key, key: api-key}
              expertise: {categories: [math, code], generalist: true}
              cost: {inputPerMillionTokens: 2.5, outputPerMillionTokens: 10}
            """);

    @Test
    void expertInfoFromExpertModel() {
        BuildResult result = RoutingTableBuilder.build(7, List.of(MATH, FRONTIER), List.of(),
                Fixtures.allReadyExcept(), Fixtures.secrets(Map.of("frontier-key/api-key", "sk-1")),
                ArtifactSource.NONE, StrategyRegistry.standard());
        assertThat(result.ok()).isTrue();
        RoutingTable table = result.table();
        assertThat(table.version()).isEqualTo(7);
        assertThat(table.experts()).containsOnlyKeys("qwen-math", "frontier");

        ExpertInfo math = table.expert("qwen-math").orElseThrow();
        assertThat(math.name()).isEqualTo("math");
        assertThat(math.namespace()).isEqualTo("ai");
        assertThat(math.upstreamModel()).isEqualTo("qwen-math");
        assertThat(math.endpoints()).containsExactly(new Endpoint("http://127.0.0.1:9/math/v1"));
        assertThat(math.apiKey()).isNull();
        assertThat(math.categories()).containsExactly("math");
        assertThat(math.description()).isEqualTo("Mathematics.");
        assertThat(math.examples()).containsExactly("Solve 3x + 7 = 22.");
        assertThat(math.generalist()).isFalse();
        assertThat(math.quality()).containsEntry("math", 0.83);
        assertThat(math.cost()).isEqualTo(2.0);

        ExpertInfo frontier = table.expert("frontier").orElseThrow();
        assertThat(frontier.upstreamModel()).isEqualTo("frontier-large");
        assertThat(frontier.apiKey()).isEqualTo("sk-1");
        assertThat(frontier.generalist()).isTrue();
        assertThat(frontier.cost()).isEqualTo((2.5 + 10) / 2);
        assertThat(frontier.routable()).isTrue();
    }

    @Test
    void anAdapterIsAnExpertOfItsOwnNameAndPricesOnItsBasesEndpoints() {
        ExpertModel base = expert("""
                metadata: {name: llama, namespace: ai}
                spec:
                  model: {uri: hf://meta/llama}
                  autoscaling: {minReplicas: 0, maxReplicas: 2}
                  cost: {relative: 5}
                """);
        ExpertModel adapter = expert("""
                metadata: {name: lora-chess, namespace: ai}
                spec:
                  adapter: {base: llama, uri: hf://org/chess-lora}
                  expertise: {categories: [chess]}
                  cost: {inputPerMillionTokens: 1, outputPerMillionTokens: 3}
                """);
        // the router's endpoint source gives an adapter its base's pods (those it is loaded on)
        ExpertEndpoints basePods = e -> List.of(new Endpoint("http://127.0.0.1:9/llama/v1"));
        RoutingTable table = RoutingTableBuilder.build(1, List.of(base, adapter), List.of(), basePods,
                SecretResolver.NONE, ArtifactSource.NONE, StrategyRegistry.standard()).table();
        ExpertInfo lora = table.expert("lora-chess").orElseThrow();
        // its own name upstream, so its usage and breaker are its own though the endpoints are the base's
        assertThat(lora.name()).isEqualTo("lora-chess");
        assertThat(lora.upstreamModel()).isEqualTo("lora-chess");
        assertThat(lora.endpoints()).containsExactly(new Endpoint("http://127.0.0.1:9/llama/v1"));
        assertThat(lora.pricing().cost(1_000_000, 1_000_000)).isEqualTo(1 + 3);
        assertThat(lora.coldStart()).as("its base scales from zero").isTrue();
        assertThat(table.expert("llama").orElseThrow().pricing().cost(1_000_000, 1_000_000)).isEqualTo(5);
    }

    @Test
    void apiKeysAreTrimmedAndKeysWithControlCharactersAreRefusedWithoutQuotingThem() {
        BuildResult trimmed = RoutingTableBuilder.build(1, List.of(FRONTIER), List.of(), Fixtures.allReadyExcept(),
                Fixtures.secrets(Map.of("frontier-key/api-key", "sk-1\n")), ArtifactSource.NONE,
                StrategyRegistry.standard());
        assertThat(trimmed.table().expert("frontier").orElseThrow().apiKey()).isEqualTo("sk-1");
        assertThat(trimmed.table().expert("frontier").orElseThrow().pricing().cost(1_000_000, 1_000_000))
                .isEqualTo(2.5 + 10);
        BuildResult broken = RoutingTableBuilder.build(1, List.of(FRONTIER), List.of(), Fixtures.allReadyExcept(),
                Fixtures.secrets(Map.of("frontier-key/api-key", "sk-1\nsk-2")), ArtifactSource.NONE,
                StrategyRegistry.standard());
        assertThat(broken.table().expert("frontier").orElseThrow().routable()).isFalse();
        assertThat(broken.expertProblems().get("ai/frontier")).contains("control characters")
                .doesNotContain("sk-1");
    }

    @Test
    void externalExpertWithoutItsSecretIsNotRoutableAndReported() {
        BuildResult result = RoutingTableBuilder.build(1, List.of(FRONTIER), List.of(), Fixtures.allReadyExcept(),
                SecretResolver.NONE, ArtifactSource.NONE, StrategyRegistry.standard());
        assertThat(result.table().expert("frontier").orElseThrow().routable()).isFalse();
        assertThat(result.expertProblems()).containsEntry("ai/frontier",
                "spec.external.apiKeySecretRef: Secret frontier-key key api-key not found");
    }

    @Test
    void deployedExpertWithTheNamespacesExpertApiKeyGetsItSentAndWithoutItsSecretIsNotRoutable() {
        ExpertModel keyed = expert("""
                metadata: {name: math, namespace: ai}
                spec: {model: {uri: hf://org/math}}
                status: {apiKeySecretRef: {name: switchboard-expert-api-key, key: api-key}}
                """);
        BuildResult result = RoutingTableBuilder.build(1, List.of(keyed), List.of(), Fixtures.allReadyExcept(),
                Fixtures.secrets(Map.of("switchboard-expert-api-key/api-key", "expert-key")), ArtifactSource.NONE,
                StrategyRegistry.standard());
        assertThat(result.table().expert("math").orElseThrow().apiKey()).isEqualTo("expert-key");
        assertThat(result.table().expert("math").orElseThrow().routable()).isTrue();

        BuildResult missing = RoutingTableBuilder.build(1, List.of(keyed), List.of(), Fixtures.allReadyExcept(),
                SecretResolver.NONE, ArtifactSource.NONE, StrategyRegistry.standard());
        assertThat(missing.table().expert("math").orElseThrow().routable()).isFalse();
        assertThat(missing.expertProblems()).containsEntry("ai/math",
                "status.apiKeySecretRef: Secret switchboard-expert-api-key key api-key not found");
    }

    @Test
    void selectorAndNamesSelectExpertsOfTheSameNamespace() {
        ExpertModel code = specialist("code", "ai", "specialist", "code");
        ExpertModel big = specialist("big", "ai", "frontier", "general");
        ExpertModel other = specialist("law", "other", "specialist", "law");
        ExpertModel unlabelled = expert("""
                metadata: {name: plain, namespace: ai}
                spec: {model: {uri: hf://org/plain}}
                """);
        RoutingPolicy policy = policy("""
                metadata: {name: p, namespace: ai}
                spec:
                  experts:
                    selector:
                      matchLabels: {team: demo}
                      matchExpressions: [{key: tier, operator: NotIn, values: [frontier]}]
                    names: [plain, not-created-yet]
                  strategy: {type: static, static: {experts: [{name: code}]}}
                  fallback: big
                """);
        BuildResult result = Fixtures.build(List.of(MATH, code, big, other, unlabelled), List.of(policy),
                Fixtures.allReadyExcept());
        assertThat(result.errors()).isEmpty();
        PolicyRoute route = result.table().policy("p").orElseThrow();
        // math, code by selector; plain by name; big as fallback; law lives in another namespace
        assertThat(route.experts()).containsOnlyKeys("math", "code", "plain", "big");
        assertThat(route.fallback()).isEqualTo("big");
        assertThat(route.modelName()).isEqualTo("p");
    }

    @Test
    void embeddingExpertsAreInTheTableButNeverAmongAPolicysExperts() {
        ExpertModel embedder = expert("""
                metadata: {name: embedder, namespace: ai, labels: {team: demo, tier: specialist}}
                spec:
                  task: embed
                  model: {uri: hf://BAAI/bge-small-en-v1.5, servedName: bge-small}
                """);
        RoutingPolicy bySelector = policy("""
                metadata: {name: by-selector, namespace: ai}
                spec:
                  experts: {selector: {matchLabels: {team: demo}}}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """);
        RoutingPolicy byName = policy("""
                metadata: {name: by-name, namespace: ai}
                spec:
                  experts: {names: [math, embedder]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """);
        BuildResult result = Fixtures.build(List.of(MATH, embedder), List.of(bySelector, byName),
                Fixtures.allReadyExcept());
        ExpertInfo info = result.table().expert("bge-small").orElseThrow();
        assertThat(info.embeds()).isTrue();
        assertThat(result.table().expert("qwen-math").orElseThrow().embeds()).isFalse();
        // a selector passes over it; naming it is an error that says why
        assertThat(result.table().policy("by-selector").orElseThrow().experts()).containsOnlyKeys("math");
        assertThat(result.errors().get("ai/by-name")).contains("spec.experts.names")
                .contains("expert 'embedder' serves embeddings (spec.task: embed), not chat");
        assertThat(result.table().availableModels()).contains("bge-small");
    }

    @Test
    void brokenPoliciesAreReportedByFieldAndTheOthersStillBuild() {
        ExpertModel code = specialist("code", "ai", "specialist", "code");
        RoutingPolicy good = policy("""
                metadata: {name: good, namespace: ai}
                spec:
                  modelName: switchboard
                  experts: {names: [math, code]}
                  strategy: {type: category, category: {categories: [{name: math}, {name: code}]}}
                """);
        RoutingPolicy unknownType = policy("""
                metadata: {name: unknown-type, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: telepathy}
                """);
        RoutingPolicy badRoute = policy("""
                metadata: {name: bad-route, namespace: ai}
                spec:
                  experts: {names: [math, code]}
                  strategy:
                    type: category
                    category:
                      categories: [{name: math}]
                      routes: [{category: maths, experts: [{name: math}]}]
                """);
        RoutingPolicy strangerInStatic = policy("""
                metadata: {name: stranger, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}, {name: code, weight: 2}]}}
                """);
        RoutingPolicy duplicateModel = policy("""
                metadata: {name: zz-duplicate, namespace: ai}
                spec:
                  modelName: switchboard
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """);
        RoutingPolicy badTimeout = policy("""
                metadata: {name: bad-timeout, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                  timeouts: {connect: 2 seconds}
                """);
        BuildResult result = Fixtures.build(List.of(MATH, code),
                List.of(good, unknownType, badRoute, strangerInStatic, duplicateModel, badTimeout),
                Fixtures.allReadyExcept());
        assertThat(result.table().policies()).containsOnlyKeys("switchboard");
        assertThat(result.errors()).containsOnlyKeys("ai/unknown-type", "ai/bad-route", "ai/stranger",
                "ai/zz-duplicate", "ai/bad-timeout");
        assertThat(result.errors().get("ai/unknown-type"))
                .startsWith("spec.strategy.type: 'telepathy' is not implemented by this router (available: ")
                .contains("category", "static");
        assertThat(result.errors().get("ai/bad-route"))
                .isEqualTo("spec.strategy.category.routes[0].category: unknown category 'maths' (known: math, code)");
        assertThat(result.errors().get("ai/stranger"))
                .startsWith("spec.strategy.static.experts[1].name: expert 'code' is not among the policy's experts");
        assertThat(result.errors().get("ai/zz-duplicate"))
                .isEqualTo("spec.modelName: 'switchboard' is already served by policy ai/good");
        assertThat(result.errors().get("ai/bad-timeout")).isEqualTo("spec.timeouts.connect: must be a duration of "
                + "at least 1ms such as 500ms, 30s, 5m or 1h30m, not \"2 seconds\"");
    }

    @Test
    void theMetaExpertMustBeOneOfThePolicysExpertsButMayNotExistYet() {
        RoutingPolicy outside = policy("""
                metadata: {name: outside, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: metaLLM, metaLLM: {expert: meta}}
                """);
        RoutingPolicy notYetCreated = policy("""
                metadata: {name: listed, namespace: ai}
                spec:
                  experts: {names: [math, meta]}
                  strategy: {type: metaLLM, metaLLM: {expert: meta}}
                """);
        BuildResult result = Fixtures.build(List.of(MATH), List.of(outside, notYetCreated), Fixtures.allReadyExcept());
        assertThat(result.errors()).containsOnlyKeys("ai/outside");
        assertThat(result.errors().get("ai/outside")).isEqualTo("spec.strategy.metaLLM.expert: expert 'meta' is not "
                + "among the policy's experts (no ExpertModel of that name exists in namespace ai); list it in "
                + "spec.experts.names");
        // a listed meta expert that does not exist yet is not routable: decisions fall back to the others
        PolicyRoute listed = result.table().policy("listed").orElseThrow();
        assertThat(listed.experts()).containsOnlyKeys("math");
        Decision d = listed.strategy().decide(new Query("x"), listed);
        assertThat(d.expert()).isEqualTo("math");
        assertThat(d.fallbackReason()).isEqualTo("meta expert meta is not routable");
    }

    @Test
    void everyProblemTheSharedRulesFindIsReportedInOneMessage() {
        RoutingPolicy p = policy("""
                metadata: {name: p, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy:
                    type: static
                    static: {experts: [{name: math, weight: 0}, {name: ghost, weight: 0}]}
                """);
        BuildResult result = Fixtures.build(List.of(MATH), List.of(p), Fixtures.allReadyExcept());
        assertThat(result.errors().get("ai/p")).startsWith("spec.strategy.static.experts[1].name: expert 'ghost' is "
                + "not among the policy's experts").endsWith("; spec.strategy.static.experts: all weights are 0, so "
                + "no traffic could go anywhere");
    }

    @Test
    void encoderIsOnlyResolvedForStrategiesThatEmbed() {
        RoutingPolicy staticWithBadEmbedding = policy("""
                metadata: {name: s, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                  embedding: {builtin: nope}
                """);
        RoutingPolicy categoryWithBadEmbedding = policy("""
                metadata: {name: c, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: category, category: {categories: [{name: math}]}}
                  embedding: {builtin: nope}
                """);
        BuildResult result = RoutingTableBuilder.build(1, List.of(MATH),
                List.of(staticWithBadEmbedding, categoryWithBadEmbedding), Fixtures.allReadyExcept(),
                SecretResolver.NONE, ArtifactSource.NONE, StrategyRegistry.standard());
        assertThat(result.table().policies()).containsOnlyKeys("s");
        assertThat(result.errors()).containsOnly(Map.entry("ai/c",
                "spec.embedding.builtin: unknown encoder 'nope', expected all-minilm-l6-v2-q or hashing"));
    }

    @Test
    void failoverAndTimeoutsFromSpec() {
        RoutingPolicy p = policy("""
                metadata: {name: p, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                  failover: {maxAttempts: 2, retryOn: ["429", 5xx], circuitBreakerFailures: 3, circuitBreakerOpenFor: 1m30s}
                  timeouts: {connect: 500ms, firstByte: 1.5s}
                """);
        PolicyRoute route = Fixtures.build(List.of(MATH), List.of(p), Fixtures.allReadyExcept()).table()
                .policy("p").orElseThrow();
        assertThat(route.failover()).isEqualTo(new PolicyRoute.FailoverPolicy(2,
                Set.of(UpstreamFailure.TOO_MANY_REQUESTS, UpstreamFailure.SERVER_ERROR), 3,
                Duration.ofSeconds(90)));
        assertThat(route.timeouts()).isEqualTo(new PolicyRoute.Timeouts(Duration.ofMillis(500),
                Duration.ofMillis(1500), Duration.ofMinutes(10)));

        RoutingPolicy defaults = policy("""
                metadata: {name: d, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: static, static: {experts: [{name: math}]}}
                """);
        PolicyRoute d = Fixtures.build(List.of(MATH), List.of(defaults), Fixtures.allReadyExcept()).table()
                .policy("d").orElseThrow();
        assertThat(d.failover()).isEqualTo(PolicyRoute.FailoverPolicy.DEFAULT);
        assertThat(d.timeouts()).isEqualTo(PolicyRoute.Timeouts.DEFAULT);
    }

    @Test
    void artifactsAreLookedUpInThePolicyNamespace() {
        StrategyBuilder needsArtifact = (name, spec, experts, ctx) -> {
            String json = ctx.artifact(spec.strategy.learned.configMapRef, spec.strategy.learned.key)
                    .orElseThrow(() -> new InvalidPolicyException("spec.strategy.learned.configMapRef: ConfigMap "
                            + spec.strategy.learned.configMapRef + " not found"));
            return staticTo(json);
        };
        RoutingPolicy found = policy("""
                metadata: {name: found, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: cluster, learned: {configMapRef: router-a}}
                """);
        RoutingPolicy missing = policy("""
                metadata: {name: missing, namespace: ai}
                spec:
                  experts: {names: [math]}
                  strategy: {type: cluster, learned: {configMapRef: cluster-router}}
                """);
        ArtifactSource artifacts = (ns, cm, key) -> ns.equals("ai") && cm.equals("router-a") && key.equals("router.json")
                ? java.util.Optional.of("math") : java.util.Optional.empty();
        BuildResult result = RoutingTableBuilder.build(1, List.of(MATH), List.of(found, missing),
                Fixtures.allReadyExcept(), SecretResolver.NONE, artifacts,
                StrategyRegistry.of(Map.of("cluster", needsArtifact)));
        assertThat(result.table().policies()).containsOnlyKeys("found");
        assertThat(result.table().policy("found").orElseThrow().strategy().decide(new Query("x"),
                result.table().policy("found").orElseThrow()).expert()).isEqualTo("math");
        assertThat(result.errors()).containsOnly(Map.entry("ai/missing",
                "spec.strategy.learned.configMapRef: ConfigMap cluster-router not found"));
    }

    /** A stand-in strategy that always routes to the expert named by the artifact. */
    private static RoutingStrategy staticTo(String expert) {
        return new RoutingStrategy() {
            @Override
            public String type() {
                return "cluster";
            }

            @Override
            public Decision decide(Query query, PolicyRoute policy) {
                return new Decision(policy.name(), "cluster", List.of(expert), null, 1, null, Map.of(), null);
            }
        };
    }
}
