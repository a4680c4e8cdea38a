package dev.switchboard.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.v1alpha1.RetryCondition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamFailureTest {
    @Test
    void everyRetryOnValueMapsToTheFailureOfTheSameLabel() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (RetryCondition c : RetryCondition.values()) {
            String specValue = json.writeValueAsString(c).replace("\"", "");
            assertThat(UpstreamFailure.of(c).label()).as(c.name()).isEqualTo(specValue);
        }
    }

    @Test
    void labelsAreTheMetricValuesDashboardsAndAlertsMatch() {
        assertThat(Arrays.stream(UpstreamFailure.values()).map(UpstreamFailure::label))
                .containsExactly("connectError", "timeout", "5xx", "429", "reset", "stream", "clientCancel");
    }

    @Test
    void retryableStatuses() {
        assertThat(UpstreamFailure.ofStatus(503)).isEqualTo(UpstreamFailure.SERVER_ERROR);
        assertThat(UpstreamFailure.ofStatus(429)).isEqualTo(UpstreamFailure.TOO_MANY_REQUESTS);
        assertThat(UpstreamFailure.ofStatus(400)).isNull();
        assertThat(UpstreamFailure.ofStatus(200)).isNull();
    }
}
