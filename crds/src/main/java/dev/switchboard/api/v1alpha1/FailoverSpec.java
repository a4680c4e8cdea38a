package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** Retrying on the next-best expert when the chosen one fails before the first byte. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverSpec {
    @Min(1)
    @Max(10)
    @Default("3")
    @JsonPropertyDescription("Attempts per request, the first included (1 disables failover).")
    public Integer maxAttempts = 3;

    @Size(max = 4)
    @JsonPropertyDescription("Failures that trigger a retry: connectError, timeout, 5xx, 429. Default: connectError, "
            + "timeout, 5xx.")
    public List<RetryCondition> retryOn = new ArrayList<>(
            List.of(RetryCondition.CONNECT_ERROR, RetryCondition.TIMEOUT, RetryCondition.SERVER_ERROR));

    @Min(1)
    @Max(1000)
    @Default("5")
    @JsonPropertyDescription("Consecutive failures that open an expert's circuit breaker.")
    public Integer circuitBreakerFailures = 5;

    @Default("30s")
    @Size(max = Names.MAX_DURATION)
    @ValidationRule(value = TimeoutsSpec.POSITIVE, message = TimeoutsSpec.POSITIVE_SUMMARY,
            messageExpression = TimeoutsSpec.POSITIVE_MESSAGE)
    @JsonPropertyDescription("How long an open circuit stays open before one trial request (half-open).")
    public String circuitBreakerOpenFor = "30s";
}
