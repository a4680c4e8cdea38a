package dev.switchboard.router.http;

import dev.switchboard.router.limits.TenantLimiter;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.tracing.RouterTracing;
import dev.switchboard.router.usage.UsageLedger;

/**
 * What every {@link ClientExchange} reports to: metrics, the usage ledger and the tenant limits it charges, and the
 * tracing its span comes from.
 */
record ExchangeServices(RouterMetrics metrics, UsageLedger ledger, TenantLimiter limiter, RouterTracing tracing) {
}
