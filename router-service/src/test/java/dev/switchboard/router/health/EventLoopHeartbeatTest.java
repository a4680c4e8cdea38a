package dev.switchboard.router.health;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event loop blocked by a handler stops ticking, and the heartbeat calls it wedged until it runs again. */
class EventLoopHeartbeatTest {
    @Test
    void aBlockedEventLoopIsWedgedUntilItRunsAgain() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
        try {
            EventLoopHeartbeat heartbeat = new EventLoopHeartbeat(vertx, 50, 400);
            heartbeat.start(null);
            Thread.sleep(200);
            assertThat(heartbeat.wedged()).isFalse();
            CountDownLatch release = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                try {
                    release.await(5, TimeUnit.SECONDS); // a handler that blocks its event loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(3)).until(heartbeat::wedged);
            release.countDown();
            await().atMost(Duration.ofSeconds(3)).until(() -> !heartbeat.wedged());
            heartbeat.stop(null);
        } finally {
            vertx.close();
        }
    }
}
