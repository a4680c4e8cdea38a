package dev.switchboard.router.auth;

import java.time.Duration;

/**
 * A tenant's limits; 0 means none. Tokens count input and output alike, as the experts report them in
 * {@code usage}.
 *
 * @param budgetPeriod the period a budget covers (from the Unix epoch, e.g. 24h = UTC days); null without a budget
 */
public record TenantLimits(int requestsPerMinute, long tokensPerMinute, int concurrentRequests, long budgetTokens,
                           double budgetCost, Duration budgetPeriod) {
    public static final TenantLimits NONE = new TenantLimits(0, 0, 0, 0, 0, null);

    public boolean hasBudget() {
        return budgetPeriod != null && (budgetTokens > 0 || budgetCost > 0);
    }
}
