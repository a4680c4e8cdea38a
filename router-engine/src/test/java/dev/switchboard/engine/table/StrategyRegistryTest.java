package dev.switchboard.engine.table;

import dev.switchboard.api.v1alpha1.StrategySpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StrategyRegistryTest {
    @Test
    void implementsEveryStrategyTypeTheCrdAccepts() {
        // StrategySpec.TYPES is the CRD's pattern of spec.strategy.type: ^(category|semantic|...)$
        assertThat(StrategySpec.TYPES).startsWith("^(").endsWith(")$");
        List<String> accepted = List.of(StrategySpec.TYPES.substring(2, StrategySpec.TYPES.length() - 2).split("\\|"));
        assertThat(StrategyRegistry.standard().types()).containsExactlyInAnyOrderElementsOf(accepted);
    }
}
