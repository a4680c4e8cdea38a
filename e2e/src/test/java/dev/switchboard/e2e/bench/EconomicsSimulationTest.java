package dev.switchboard.e2e.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The day simulation behind docs/benchmarks.md, driven by the operator's real ScaleDecision. */
class EconomicsSimulationTest {
    @Test
    void scaleToZeroWithHoldingSavesGpuHoursAndFewRequestsWaitOrFallBack() {
        for (long load : new long[]{30, 120}) {
            var zero = new EconomicsSimulation.Setup(10, 0, Duration.ofSeconds(load), Duration.ofSeconds(4),
                    Duration.ofSeconds(180), 8, Duration.ofMinutes(10), 42);
            var on = new EconomicsSimulation.Setup(10, 1, Duration.ofSeconds(load), Duration.ofSeconds(4),
                    Duration.ofSeconds(180), 8, Duration.ofMinutes(10), 42);
            EconomicsSimulation.Result z = EconomicsSimulation.run(zero);
            EconomicsSimulation.Result o = EconomicsSimulation.run(on);
            EconomicsSimulation.print("always-on (min 1)", on, o);
            EconomicsSimulation.print("scale to zero + holding", zero, z);
            assertThat(z.requests()).isEqualTo(o.requests()); // same seeded traffic
            assertThat(z.gpuHours()).isLessThan(o.gpuHours());
            assertThat(o.waited()).isZero();
            assertThat(z.waited()).isPositive();
            assertThat(z.fellBackShare()).isLessThan(0.01);
        }
    }
}
