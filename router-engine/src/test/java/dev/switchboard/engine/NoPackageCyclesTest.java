package dev.switchboard.engine;

import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's packages form layers: the root package (what a strategy sees), encoder, learned (artifacts and their
 * predictors), strategy, and table on top, the only package that knows every strategy and encoder.
 */
class NoPackageCyclesTest {
    @Test
    void mainCodeHasNoPackageCycle() {
        PackageGraph graph = PackageGraph.ofClassesOf(RoutingTableBuilder.class, "dev.switchboard.engine");
        assertThat(graph.uses()).containsKeys("dev.switchboard.engine.table", "dev.switchboard.engine.strategy");
        assertThat(graph.cycles()).as(graph.describeCycles()).isEmpty();
    }
}
