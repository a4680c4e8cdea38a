package dev.switchboard.engine;

import dev.switchboard.engine.table.RoutingTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoutePlanTest {
    private static final PolicyRoute.FailoverPolicy ONE_ATTEMPT =
            new PolicyRoute.FailoverPolicy(1, Set.of(UpstreamFailure.SERVER_ERROR), 2, Duration.ofSeconds(5));
    private static final PolicyRoute.Timeouts SHORT =
            new PolicyRoute.Timeouts(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private static ExpertInfo expert(String name, String namespace, boolean routable) {
        return new ExpertInfo(name, namespace, name + "-served", name, routable
                ? List.of(new Endpoint("http://127.0.0.1:9/v1")) : List.of(), null, Set.of(), null, List.of(), false,
                Map.of(), 0);
    }

    private static PolicyRoute policy(String modelName, String fallback, PolicyRoute.FailoverPolicy failover,
                                      PolicyRoute.Timeouts timeouts, ExpertInfo... experts) {
        Map<String, ExpertInfo> byName = new LinkedHashMap<>();
        for (ExpertInfo e : experts) {
            byName.put(e.name(), e);
        }
        return new PolicyRoute(modelName, "ns", modelName, null, byName, fallback, failover, timeouts);
    }

    private static Decision ranked(String... experts) {
        return new Decision("p", "t", List.of(experts), null, 1, null, Map.of(), null);
    }

    private static List<String> names(RoutePlan plan) {
        return plan.candidates().stream().map(ExpertInfo::name).toList();
    }

    @Test
    void theRankingThenTheFallbackUnderThePolicysRules() {
        PolicyRoute p = policy("p", "general", ONE_ATTEMPT, SHORT, expert("math", "ns", true),
                expert("code", "ns", true), expert("general", "ns", false));
        RoutePlan plan = RoutePlan.of(p, ranked("code", "math"));
        assertThat(names(plan)).containsExactly("code", "math", "general");
        assertThat(plan.first().name()).isEqualTo("code");
        assertThat(plan.failover()).isEqualTo(ONE_ATTEMPT);
        assertThat(plan.timeouts()).isEqualTo(SHORT);
    }

    @Test
    void theFallbackOnceAndNamesOutsideThePolicySkipped() {
        PolicyRoute p = policy("p", "general", null, null, expert("math", "ns", true),
                expert("general", "ns", true));
        assertThat(names(RoutePlan.of(p, ranked("general", "gone", "math")))).containsExactly("general", "math");
        assertThat(RoutePlan.of(p, ranked()).first().name()).isEqualTo("general");
        assertThat(RoutePlan.of(p, ranked()).failover()).isEqualTo(PolicyRoute.FailoverPolicy.DEFAULT);
        assertThat(RoutePlan.of(p, ranked()).timeouts()).isEqualTo(PolicyRoute.Timeouts.DEFAULT);

        PolicyRoute noFallback = policy("q", null, null, null, expert("math", "ns", true));
        assertThat(RoutePlan.of(noFallback, ranked()).candidates()).isEmpty();
        assertThat(RoutePlan.of(noFallback, ranked()).first()).isNull();
    }

    @Test
    void aPinnedRequestTakesTheRulesOfAPolicyOfItsNamespaceThatRoutesToItElseTheDefaults() {
        ExpertInfo math = expert("math", "ns", true);
        ExpertInfo stray = expert("stray", "ns", true);
        ExpertInfo elsewhere = expert("math", "other", true);
        PolicyRoute b = policy("b-model", null, PolicyRoute.FailoverPolicy.DEFAULT, SHORT, math);
        PolicyRoute a = policy("a-model", null, ONE_ATTEMPT, SHORT, math);
        RoutingTable table = new RoutingTable(1, Map.of("b-model", b, "a-model", a),
                Map.of("math-served", math, "stray-served", stray));

        RoutePlan pinned = table.pinnedPlan(math);
        assertThat(names(pinned)).containsExactly("math");
        assertThat(pinned.failover()).as("the smallest model name wins").isEqualTo(ONE_ATTEMPT);
        assertThat(table.pinnedPlan(stray).failover()).isEqualTo(PolicyRoute.FailoverPolicy.DEFAULT);
        assertThat(table.pinnedPlan(elsewhere).timeouts()).isEqualTo(PolicyRoute.Timeouts.DEFAULT);

        assertThat(Decision.pinned(math).ranked()).containsExactly("math");
        assertThat(Decision.pinned(expert("down", "ns", false)).ranked()).isEmpty();
        assertThat(Decision.pinned(math).strategy()).isEqualTo("pinned");
    }
}
