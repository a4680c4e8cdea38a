package dev.switchboard.operator.adapter;

import dev.switchboard.api.v1alpha1.ExpertModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An adapter is Ready when loaded on at least one pod of its base, and says on how many. */
class AdapterStatusCalculatorTest {
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    static final ExpertModel BASE = LoraLayoutTest.expert("llama", "2025-01-01T00:00:00Z", "model: {uri: \"hf://m/l\"}");
    static final ExpertModel SQL = LoraLayoutTest.adapter("sql", 1, "");

    static String condition(AdapterStatusCalculator.Result r, String type) {
        var c = r.status().condition(type).orElseThrow();
        return c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
    }

    @Test
    void loadedOnSomePodsIsReadyAndStillProgressing() {
        var r = AdapterStatusCalculator.loaded(SQL, BASE, new AdapterSync.Outcome(List.of("llama-1"), 2,
                List.of("pod llama-2: POST /v1/load_lora_adapter: HTTP 400 no room")), NOW);
        assertThat(r.status().loadedOn).containsExactly("llama-1");
        assertThat(r.status().readyReplicas).isEqualTo(1);
        assertThat(r.status().replicas).isEqualTo(2);
        assertThat(condition(r, "Ready")).isEqualTo("True AdapterLoaded: loaded on 1/2 ready pods of base llama");
        assertThat(condition(r, "Progressing")).startsWith("True LoadingAdapter");
        assertThat(condition(r, "Degraded")).isEqualTo("True AdapterLoadFailed: pod llama-2: POST "
                + "/v1/load_lora_adapter: HTTP 400 no room");
        assertThat(r.status().servedModelName).isEqualTo("sql");
    }

    @Test
    void withoutReadyBasePodsItWaits() {
        var r = AdapterStatusCalculator.loaded(SQL, BASE, new AdapterSync.Outcome(List.of(), 0, List.of()), NOW);
        assertThat(condition(r, "Ready")).startsWith("False BaseNotReady: base llama has no ready replica");
        assertThat(condition(r, "Degraded")).isEqualTo("False AsExpected: ");
        assertThat(r.status().phase).isEqualTo("Progressing");
    }

    @Test
    void notServedIsDegradedWithTheReason() {
        var r = AdapterStatusCalculator.notServed(SQL, null, "BaseNotFound", "spec.adapter.base: gone", NOW);
        assertThat(condition(r, "Degraded")).isEqualTo("True BaseNotFound: spec.adapter.base: gone");
        assertThat(r.status().phase).isEqualTo("Degraded");
        assertThat(r.status().loadedOn).isEmpty();
    }
}
