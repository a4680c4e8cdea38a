package dev.switchboard.router.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestsInFlightTest {
    @Test
    void aHandleCountsOutOnceHoweverOftenItIsClosed() {
        RequestsInFlight inFlight = new RequestsInFlight();
        RequestsInFlight.Handle first = inFlight.enter();
        RequestsInFlight.Handle second = inFlight.enter();
        assertThat(inFlight.count()).isEqualTo(2);
        first.close();
        first.close();
        assertThat(first.closed()).isTrue();
        assertThat(inFlight.count()).isEqualTo(1);
        second.close();
        assertThat(inFlight.count()).isZero();
    }
}
