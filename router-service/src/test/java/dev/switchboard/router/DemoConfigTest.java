package dev.switchboard.router;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.router.table.ManifestSet;
import dev.switchboard.router.table.StandaloneTableSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in demo configuration builds without errors and routes the demo's sample questions sensibly. */
class DemoConfigTest {
    @Test
    void demoPolicyRoutesSampleQuestionsToTheirExperts() throws Exception {
        ManifestSet manifests = ManifestSet.empty();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(StandaloneTableSource.DEMO_RESOURCE)) {
            manifests.addYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo");
        }
        BuildResult result = RoutingTableBuilder.build(1, manifests.experts(), manifests.policies(),
                e -> List.of(new Endpoint(e.getSpec().external.url)), (ns, ref) -> java.util.Optional.empty(),
                (ns, cm, key) -> java.util.Optional.empty(), StrategyRegistry.standard());
        assertThat(result.errors()).isEmpty();
        PolicyRoute policy = result.table().policy("switchboard-coe").orElseThrow();
        assertThat(policy.routableExperts()).containsExactly("code", "generalist", "math", "medical");
        assertThat(decide(policy, "Solve for x: 2x + 3 = 11")).isEqualTo("math");
        assertThat(decide(policy, "Write a Python function that merges two sorted lists")).isEqualTo("code");
        assertThat(decide(policy, "What are the side effects of ibuprofen?")).isEqualTo("medical");
        assertThat(decide(policy, "Hi there, how was your weekend?")).isEqualTo("generalist");
    }

    private static String decide(PolicyRoute policy, String q) {
        Decision d = policy.strategy().decide(new Query(q), policy);
        return d.expert();
    }
}
