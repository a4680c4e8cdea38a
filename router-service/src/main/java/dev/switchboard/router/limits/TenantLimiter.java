package dev.switchboard.router.limits;

import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.auth.TenantLimits;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.openai.OpenAiError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's requests per minute, tokens per minute, concurrent requests and budget per period. A request is
 * admitted before its body is read ({@link #admit}: one request, one concurrency slot, a positive token balance and
 * budget), its tokens and cost are charged when its answer is over ({@link #charge}).
 *
 * <p>Shared across replicas by division: each of {@code switchboard.limits.replicas} replicas enforces its share of
 * every limit (at least 1). The Service spreads connections evenly, so the sum holds to within a replica's share;
 * the state lives in memory and restarts with the pod (docs/router.md, "Limits across replicas").
 */
@ApplicationScoped
public class TenantLimiter {
    private final Map<String, TenantState> states = new ConcurrentHashMap<>();
    private final int replicas;

    public TenantLimiter(RouterConfig config) {
        this.replicas = Math.max(1, config.limits().replicas());
    }

    /** Admits one request of {@code tenant} or throws a 429 failure with Retry-After. Release the permit at its end. */
    public Permit admit(Tenant tenant) {
        TenantLimits limits = tenant.limits();
        if (limits == TenantLimits.NONE) {
            return Permit.NONE;
        }
        return state(tenant).admit(System.nanoTime(), System.currentTimeMillis());
    }

    /** Charges what an answer of {@code tenant} used. */
    public void charge(Tenant tenant, long tokens, double cost) {
        if (tenant.limits() == TenantLimits.NONE || (tokens == 0 && cost == 0)) {
            return;
        }
        state(tenant).charge(tokens, cost, System.nanoTime(), System.currentTimeMillis());
    }

    /** The tenant's current counters, for the per-tenant view. */
    public Map<String, Object> view(Tenant tenant) {
        TenantState s = states.get(tenant.name());
        return s == null ? Map.of() : s.view(System.currentTimeMillis());
    }

    private TenantState state(Tenant tenant) {
        TenantState s = states.get(tenant.name());
        if (s == null || !s.limits.equals(tenant.limits())) {
            // new tenant, or its limits changed in the keys file: start over with the new ones
            TenantState fresh = new TenantState(tenant.limits(), replicas, System.nanoTime());
            s = states.compute(tenant.name(), (k, old) -> old != null && old.limits.equals(tenant.limits())
                    ? old : fresh.carryOver(old));
        }
        return s;
    }

    /** A request's concurrency slot; closing it more than once is harmless. */
    public static final class Permit implements AutoCloseable {
        static final Permit NONE = new Permit(null);
        private final TenantState state;
        private boolean closed;

        Permit(TenantState state) {
            this.state = state;
        }

        @Override
        public void close() {
            if (state != null && !closed) {
                closed = true;
                state.release();
            }
        }
    }

    /** One tenant's counters on this replica. */
    static final class TenantState {
        final TenantLimits limits;
        private final int requestsPerMinute;
        private final long tokensPerMinute;
        private final int concurrent;
        private final long budgetTokens;
        private final double budgetCost;
        private final TokenBucket requests;
        private final TokenBucket tokens;
        private int inFlight;
        private long period = -1;
        private long periodTokens;
        private double periodCost;

        TenantState(TenantLimits limits, int replicas, long nowNanos) {
            this.limits = limits;
            this.requestsPerMinute = share(limits.requestsPerMinute(), replicas);
            this.tokensPerMinute = share(limits.tokensPerMinute(), replicas);
            this.concurrent = (int) share(limits.concurrentRequests(), replicas);
            this.budgetTokens = share(limits.budgetTokens(), replicas);
            this.budgetCost = limits.budgetCost() / replicas;
            this.requests = requestsPerMinute > 0 ? new TokenBucket(requestsPerMinute, nowNanos) : null;
            this.tokens = tokensPerMinute > 0 ? new TokenBucket(tokensPerMinute, nowNanos) : null;
        }

        private static int share(long limit, int replicas) {
            return limit <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit / replicas));
        }

        /**
         * Keeps the period's spend of the state it replaces (requests in flight release the old state's slots, so
         * the new one starts with none).
         */
        TenantState carryOver(TenantState old) {
            if (old != null) {
                synchronized (old) {
                    period = old.period;
                    periodTokens = old.periodTokens;
                    periodCost = old.periodCost;
                }
            }
            return this;
        }

        synchronized Permit admit(long nowNanos, long nowMillis) {
            if (concurrent > 0 && inFlight >= concurrent) {
                throw OpenAiError.rateLimited("too many concurrent requests: the limit is " + concurrent
                        + " on this router", "requests").asFailure(1);
            }
            if (limits.hasBudget()) {
                rollPeriod(nowMillis);
                if (budgetTokens > 0 && periodTokens >= budgetTokens || budgetCost > 0 && periodCost >= budgetCost) {
                    long periodMillis = limits.budgetPeriod().toMillis();
                    long left = ((period + 1) * periodMillis - nowMillis + 999) / 1000;
                    throw OpenAiError.quotaExceeded("the budget of this period (" + limits.budgetPeriod()
                            + ") is spent").asFailure(Math.max(1, left));
                }
            }
            if (tokens != null && !tokens.positive(nowNanos)) {
                throw OpenAiError.rateLimited("tokens per minute exceeded (" + tokensPerMinute
                        + " on this router)", "tokens").asFailure(tokens.secondsUntil(1));
            }
            if (requests != null && !requests.tryTake(1, nowNanos)) {
                throw OpenAiError.rateLimited("requests per minute exceeded (" + requestsPerMinute
                        + " on this router)", "requests").asFailure(requests.secondsUntil(1));
            }
            inFlight++;
            return new Permit(this);
        }

        synchronized void release() {
            inFlight--;
        }

        synchronized void charge(long used, double cost, long nowNanos, long nowMillis) {
            if (tokens != null) {
                tokens.charge(used, nowNanos);
            }
            if (limits.hasBudget()) {
                rollPeriod(nowMillis);
                periodTokens += used;
                periodCost += cost;
            }
        }

        private void rollPeriod(long nowMillis) {
            long p = nowMillis / limits.budgetPeriod().toMillis();
            if (p != period) {
                period = p;
                periodTokens = 0;
                periodCost = 0;
            }
        }

        synchronized Map<String, Object> view(long nowMillis) {
            Map<String, Object> v = new java.util.LinkedHashMap<>();
            v.put("inFlight", inFlight);
            if (limits.hasBudget()) {
                rollPeriod(nowMillis);
                v.put("periodTokens", periodTokens);
                v.put("periodCost", periodCost);
            }
            return v;
        }
    }
}
