package dev.switchboard.lab;

import dev.switchboard.lab.cli.SwitchboardCli;
import dev.switchboard.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's packages form layers: data, train and eval below the CLI. */
class NoPackageCyclesTest {
    @Test
    void mainCodeHasNoPackageCycle() {
        PackageGraph graph = PackageGraph.ofClassesOf(SwitchboardCli.class, "dev.switchboard.lab");
        assertThat(graph.uses()).containsKeys("dev.switchboard.lab.cli", "dev.switchboard.lab.train");
        assertThat(graph.cycles()).as(graph.describeCycles()).isEmpty();
    }
}
