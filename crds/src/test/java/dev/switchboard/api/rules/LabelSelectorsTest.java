package dev.switchboard.api.rules;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorsTest {
    private static final Map<String, String> LABELS = Map.of("tier", "specialist", "team", "ml");

    @Test
    void matchLabelsAndExpressions() {
        assertThat(LabelSelectors.matches(new LabelSelector(), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(sel().withMatchLabels(Map.of("tier", "specialist")).build(), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(sel().withMatchLabels(Map.of("tier", "generalist")).build(), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("tier", "In", "specialist", "x"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("tier", "In", "x"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("tier", "NotIn", "x"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("tier", "NotIn", "specialist"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("missing", "NotIn", "x"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("team", "Exists"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("missing", "Exists"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("missing", "DoesNotExist"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("team", "DoesNotExist"), null)).isTrue();
        // all requirements must hold
        LabelSelector both = sel().withMatchLabels(Map.of("team", "ml"))
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("generalist").endMatchExpression()
                .build();
        assertThat(LabelSelectors.matches(both, LABELS)).isFalse();
    }

    @Test
    void badSelectorsAreNamed() {
        assertThatThrownBy(() -> LabelSelectors.matches(expr("tier", "Like", "x"), LABELS))
                .hasMessageContaining("unknown operator 'Like'");
        assertThatThrownBy(() -> LabelSelectors.matches(expr("tier", "In"), LABELS))
                .hasMessageContaining("tier").hasMessageContaining("needs at least one value");
    }

    @Test
    void problemsNameTheExpression() {
        LabelSelector selector = sel()
                .addNewMatchExpression().withKey("tier").withOperator("Exists").endMatchExpression()
                .addNewMatchExpression().withKey("tier").withOperator("Like").withValues("x").endMatchExpression()
                .addNewMatchExpression().withKey("team").withOperator("NotIn").endMatchExpression()
                .addNewMatchExpression().withKey("team").endMatchExpression()
                .build();
        assertThat(LabelSelectors.problems("spec.experts.selector", selector)).extracting(Problem::toString)
                .containsExactly(
                        "spec.experts.selector.matchExpressions[1]: key tier: unknown operator 'Like', expected In, "
                                + "NotIn, Exists or DoesNotExist",
                        "spec.experts.selector.matchExpressions[2]: key team: operator NotIn needs at least one value",
                        "spec.experts.selector.matchExpressions[3]: key team: operator is missing");
        assertThat(LabelSelectors.problems("spec.experts.selector", null)).isEmpty();
    }

    private static LabelSelectorBuilder sel() {
        return new LabelSelectorBuilder();
    }

    private static LabelSelector expr(String key, String op, String... values) {
        return sel().addNewMatchExpression().withKey(key).withOperator(op).withValues(values).endMatchExpression()
                .build();
    }
}
