package dev.switchboard.engine.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.v1alpha1.MetaLlmStrategySpec;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.JdkModelClient;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.testing.StandInMetaModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Against {@link StandInMetaModel}, which honours guided_choice and picks the expert by keyword. */
class MetaLlmStrategyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private StandInMetaModel meta;
    private List<JsonNode> requests;

    @BeforeEach
    void start() throws Exception {
        meta = StandInMetaModel.start((user, allowed) -> user.contains("integral") ? "math-expert"
                : user.contains("poem") ? "poet" : user.contains("legal") ? "lawyer" : "SELF", true);
        requests = meta.requests();
    }

    @AfterEach
    void stop() {
        meta.close();
    }

    private String url() {
        return meta.baseUrl();
    }

    private static ExpertInfo expert(String name, String url, String description) {
        return new ExpertInfo(name, "default", name, "upstream-" + name, List.of(new Endpoint(url)), null,
                Set.of(), description, List.of(), false, Map.of(), 1);
    }

    private static RoutingPolicySpec spec(boolean allowSelf) {
        RoutingPolicySpec spec = Synthetic.spec("metaLLM", null);
        spec.strategy.metaLLM = new MetaLlmStrategySpec();
        spec.strategy.metaLLM.expert = "meta";
        spec.strategy.metaLLM.allowSelf = allowSelf;
        spec.strategy.metaLLM.instructions = "Prefer specialists.";
        return spec;
    }

    private RoutingStrategy build(RoutingPolicySpec spec, Map<String, ExpertInfo> experts) {
        return StrategyRegistry.standard(new JdkModelClient()).builder("metaLLM").orElseThrow()
                .build("p", spec, experts, Synthetic.context(Synthetic.ENCODER, Map.of()));
    }

    @Test
    void picksAnExpertTokenWithLogprobConfidenceAndNewExpertsGetATokenWithoutRetraining() {
        Map<String, ExpertInfo> experts = Synthetic.experts(expert("meta", url(), "generalist"),
                expert("math-expert", "http://127.0.0.1:9/v1", "solves calculus"),
                expert("poet", "http://127.0.0.1:9/v1", "writes poems"));
        RoutingStrategy s = build(spec(true), experts);
        assertThat(s.blocking()).isTrue();
        Decision d = s.decide(new Query("compute this integral"), Synthetic.policy(s, experts, "meta"));
        assertThat(d.ranked()).containsExactly("math-expert", "meta");
        assertThat(d.confidence()).isCloseTo(StandInMetaModel.PROBABILITY, within(1e-9));
        assertThat(d.fallbackReason()).isNull();
        JsonNode req = requests.get(0);
        assertThat(JSON.convertValue(req.get("guided_choice"), List.class))
                .containsExactly("math-expert", "poet", "SELF");
        assertThat(req.get("logprobs").asBoolean()).isTrue();
        assertThat(req.get("top_logprobs").asInt()).isEqualTo(5);
        assertThat(req.get("temperature").asDouble()).isZero();
        assertThat(req.get("model").asText()).isEqualTo("upstream-meta");
        assertThat(req.at("/messages/0/content").asText()).startsWith("Prefer specialists.")
                .contains("- math-expert: solves calculus").contains("- SELF:");

        // a lawyer joins: same strategy instance, new table; its token is offered and chosen
        Map<String, ExpertInfo> more = new java.util.LinkedHashMap<>(experts);
        more.put("lawyer", expert("lawyer", "http://127.0.0.1:9/v1", "legal questions"));
        Decision legal = s.decide(new Query("a legal question"), Synthetic.policy(s, more, null));
        assertThat(legal.expert()).isEqualTo("lawyer");
        assertThat(JSON.convertValue(requests.get(1).get("guided_choice"), List.class)).contains("lawyer");
    }

    @Test
    void whenTheMetaModelPicksItselfItsAnswerIsReturnedDirectly() {
        Map<String, ExpertInfo> experts = Synthetic.experts(expert("meta", url(), "generalist"),
                expert("poet", "http://127.0.0.1:9/v1", "writes poems"));
        RoutingStrategy s = build(spec(true), experts);
        String body = "{\"model\":\"p\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
        Decision d = s.decide(new Query("hello there", null, body), Synthetic.policy(s, experts, null));
        assertThat(d.ranked()).containsExactly("meta");
        assertThat(d.category()).isEqualTo("self");
        assertThat(d.directAnswer()).isEqualTo("meta answers: hello there");
        JsonNode second = requests.get(1);
        assertThat(second.has("guided_choice")).isFalse();
        assertThat(second.get("stream").asBoolean()).isFalse();
        assertThat(second.get("model").asText()).isEqualTo("upstream-meta");

        // without allowSelf the meta model must pick an expert
        RoutingStrategy noSelf = build(spec(false), experts);
        Decision e = noSelf.decide(new Query("hello there"), Synthetic.policy(noSelf, experts, null));
        assertThat(e.expert()).isEqualTo("poet");
        assertThat(JSON.convertValue(requests.get(2).get("guided_choice"), List.class)).containsExactly("poet");
    }

    @Test
    void metaModelDownFallsBackWithAReason() {
        meta.close();
        Map<String, ExpertInfo> experts = Synthetic.experts(expert("meta", url(), "generalist"),
                expert("poet", "http://127.0.0.1:9/v1", "writes poems"),
                expert("general", "http://127.0.0.1:9/v1", "generalist"));
        RoutingStrategy s = build(spec(true), experts);
        PolicyRoute policy = Synthetic.policy(s, experts, "general");
        Decision d = s.decide(new Query("write a poem"), policy);
        assertThat(d.expert()).isEqualTo("general");
        assertThat(d.fallbackReason()).startsWith("meta model meta failed");
    }

    @Test
    void asksTheMetaExpertAloneThroughItsModelClientUnderThePolicysRules() {
        List<RoutePlan> plans = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        ModelClient jdk = new JdkModelClient();
        ModelClient recording = (plan, path, body) -> {
            plans.add(plan);
            paths.add(path);
            return jdk.call(plan, path, body);
        };
        Map<String, ExpertInfo> experts = Synthetic.experts(expert("meta", url(), "generalist"),
                expert("poet", "http://127.0.0.1:9/v1", "writes poems"));
        RoutingStrategy s = StrategyRegistry.standard(recording).builder("metaLLM").orElseThrow()
                .build("p", spec(true), experts, Synthetic.context(Synthetic.ENCODER, Map.of()));
        PolicyRoute policy = new PolicyRoute("p", "default", "p", s, experts, null,
                new PolicyRoute.FailoverPolicy(1, Set.of(), 2, Duration.ofSeconds(9)),
                new PolicyRoute.Timeouts(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(4)));
        assertThat(s.decide(new Query("a poem"), policy).expert()).isEqualTo("poet");
        assertThat(plans).hasSize(1);
        assertThat(plans.get(0).candidates()).extracting(ExpertInfo::name).containsExactly("meta");
        assertThat(plans.get(0).failover()).isEqualTo(policy.failover());
        assertThat(plans.get(0).timeouts()).isEqualTo(policy.timeouts());
        assertThat(paths).containsExactly("/chat/completions");

        // an engine without a router has no model client: the decision falls back and says so
        RoutingStrategy alone = StrategyRegistry.standard().builder("metaLLM").orElseThrow()
                .build("p", spec(true), experts, Synthetic.context(Synthetic.ENCODER, Map.of()));
        Decision d = alone.decide(new Query("a poem"), Synthetic.policy(alone, experts, null));
        assertThat(d.fallbackReason()).startsWith("meta model meta failed").contains("no model client");
        assertThat(d.ranked()).containsExactly("poet");
    }
}
