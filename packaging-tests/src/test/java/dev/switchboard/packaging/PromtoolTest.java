package dev.switchboard.packaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules pass `promtool check rules` (source and chart-rendered) and their `promtool test rules` tests. */
class PromtoolTest {

    @Test
    void rulesCheckAndUnitTestsPass() {
        Command.Result result = Command.of("bash", "hack/promtool-test.sh").run();
        System.out.println(result.all());
        assertThat(result.exitCode()).as("hack/promtool-test.sh:\n%s", result.all()).isZero();
        assertThat(result.stdout()).contains("SUCCESS: 9 rules found").doesNotContain("FAILED");
    }
}
