package dev.switchboard.router;

import dev.switchboard.router.http.OpenAiRoutes;
import dev.switchboard.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's packages form layers: config and openai (the wire types) at the bottom, table and metrics, proxy, and
 * http (the routes) on top. The proxy sees who asked only through its AnswerSink, never through the HTTP layer.
 */
class NoPackageCyclesTest {
    @Test
    void mainCodeHasNoPackageCycle() {
        PackageGraph graph = PackageGraph.ofClassesOf(OpenAiRoutes.class, "dev.switchboard.router");
        assertThat(graph.uses()).containsKeys("dev.switchboard.router.http", "dev.switchboard.router.proxy");
        assertThat(graph.cycles()).as(graph.describeCycles()).isEmpty();
    }

    @Test
    void theProxyDoesNotReachIntoTheHttpLayer() {
        Set<String> proxyUses = PackageGraph.ofClassesOf(OpenAiRoutes.class, "").uses()
                .get("dev.switchboard.router.proxy");
        assertThat(proxyUses).isNotEmpty().doesNotContain("dev.switchboard.router.http")
                .noneMatch(p -> p.startsWith("io.vertx.ext.web"));
    }
}
