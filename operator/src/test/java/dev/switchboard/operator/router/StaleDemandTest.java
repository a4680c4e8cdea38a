package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.DemandStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StaleDemandTest {
    static DemandStatus at(String observedAt) {
        DemandStatus d = new DemandStatus();
        d.observedAt = observedAt;
        return d;
    }

    @Test
    void reportsOlderThanTheLimitOrUnreadableAreStale() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        Map<String, DemandStatus> demand = new LinkedHashMap<>();
        demand.put("router-live", at("2026-11-30T11:59:55Z"));
        demand.put("router-gone", at("2026-11-30T11:50:00Z"));
        demand.put("router-garbled", at("yesterday"));
        demand.put("router-empty", null);
        assertThat(StaleDemand.of(demand, now, Duration.ofMinutes(5)))
                .containsExactly("router-empty", "router-garbled", "router-gone");
        assertThat(StaleDemand.of(null, now, Duration.ofMinutes(5))).isEmpty();
    }
}
