package dev.switchboard.router;

import dev.switchboard.router.http.OpenAiRoutes;
import dev.switchboard.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's packages form layers: config and openai (the wire types) at the bottom, table and metrics, proxy, and
 * http (the routes) on top.
 */
class NoPackageCyclesTest {
    @Test
    void mainCodeHasNoPackageCycle() {
        PackageGraph graph = PackageGraph.ofClassesOf(OpenAiRoutes.class, "dev.switchboard.router");
        assertThat(graph.uses()).containsKeys("dev.switchboard.router.http", "dev.switchboard.router.proxy");
        assertThat(graph.cycles()).as(graph.describeCycles()).isEmpty();
    }
}
