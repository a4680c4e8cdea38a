package dev.switchboard.router.health;

import dev.switchboard.router.support.Http;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An OutOfMemoryError fails liveness (and readiness stays as it is): Kubernetes restarts the pod. */
@QuarkusTest
class LivenessTest {
    @Test
    void anOutOfMemoryErrorFailsLiveness() {
        Http management = new Http(Http.managementBase());
        assertThat(management.get("/q/health/live").statusCode()).isEqualTo(200);
        try {
            assertThat(FatalErrors.record(new IllegalStateException("wrapped", new OutOfMemoryError("test heap"))))
                    .isTrue();
            var live = management.get("/q/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(live.body()).contains("OutOfMemoryError");
        } finally {
            FatalErrors.reset();
        }
        assertThat(management.get("/q/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void theEventLoopsTick() {
        assertThat(new Http(Http.managementBase()).get("/q/health/live").body()).contains("eventLoopSilenceMs");
    }
}
