package dev.switchboard.router.limits;

import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.auth.TenantLimits;
import dev.switchboard.router.openai.OpenAiError;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How close per-replica shares come to a tenant's limit when the Service spreads its requests: a burst of 1,000
 * requests within one minute over 1, 2 and 4 replicas, each replica enforcing limit / replicas. The figures are in
 * docs/router.md ("Limits across replicas").
 */
class LimitsAcrossReplicasTest {
    private static final Tenant TENANT = new Tenant("t", Set.of("*"), new TenantLimits(120, 0, 0, 0, 0, null));

    private static int admitted(int replicas, long seed) {
        return admitted(replicas, seed, 1000);
    }

    private static int admitted(int replicas, long seed, int requests) {
        TenantLimiter.TenantState[] states = new TenantLimiter.TenantState[replicas];
        long now = 0;
        for (int i = 0; i < replicas; i++) {
            states[i] = new TenantLimiter.TenantState(TENANT.limits(), replicas, now);
        }
        Random random = new Random(seed);
        int ok = 0;
        for (int r = 0; r < requests; r++) {
            now += 1_000_000; // one request a millisecond: the whole burst within one second
            try {
                states[random.nextInt(replicas)].admit(now, 0).close();
                ok++;
            } catch (OpenAiError.Failure refused) {
                assertThat(refused.error().status()).isEqualTo(429);
            }
        }
        return ok;
    }

    @Test
    void theSharesAddUpToAboutTheLimit() {
        assertThat(admitted(1, 1)).isBetween(120, 121);
        for (int replicas : new int[] {2, 4}) {
            for (long seed = 1; seed <= 20; seed++) {
                // every replica fills its share: the sum is the limit (to rounding), plus the trickle refilled
                assertThat(admitted(replicas, seed)).as("%d replicas", replicas).isBetween(119, 125);
            }
        }
    }

    @Test
    void exactlyTheLimitSpreadAtRandomIsMostlyAdmitted() {
        for (int replicas : new int[] {2, 4}) {
            int total = 0;
            for (long seed = 1; seed <= 200; seed++) {
                total += admitted(replicas, seed, 120);
            }
            double share = total / 200.0 / 120;
            System.out.printf("limit 120/min, 120 requests spread at random over %d replicas: %.1f%% admitted%n",
                    replicas, share * 100);
            // a replica that draws more than its share refuses the excess although the tenant is within its limit
            assertThat(share).isBetween(0.90, 1.0);
        }
    }
}
