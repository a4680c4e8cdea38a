package dev.switchboard.router.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys file: hashed and plain keys (trimmed), tenants' models and limits, errors that never quote a key. */
class TenantFileTest {
    @Test
    void keysAreKeptOnlyAsHashesAndPlainOnesAreTrimmed() {
        TenantDirectory d = TenantFile.parse("""
                tenants:
                  - name: a
                    models: [m1, m2]
                    keys: ["sha256:%s", "plain-one\\n"]
                    limits: {requestsPerMinute: 60, tokensPerMinute: 1000, concurrentRequests: 2,
                             budget: {tokens: 10, cost: 2.5, period: 24h}}
                """.formatted(ApiKeyHash.of("hashed-one")));
        assertThat(d.byKey("hashed-one").name()).isEqualTo("a");
        assertThat(d.byKey("plain-one").name()).isEqualTo("a");
        assertThat(d.byKey("plain-one\n")).isNull();
        assertThat(d.byKeyHash().keySet()).noneMatch(k -> k.contains("plain"));
        Tenant a = d.byName().get("a");
        assertThat(a.allows("m1")).isTrue();
        assertThat(a.allows("m3")).isFalse();
        assertThat(a.limits()).isEqualTo(new TenantLimits(60, 1000, 2, 10, 2.5, Duration.ofHours(24)));
    }

    @Test
    void errorsNameTheTenantAndFieldButNeverAKey() {
        assertThatThrownBy(() -> TenantFile.parse("tenants: [{name: a, models: [x], keys: [dup-secret]}, "
                + "{name: b, models: [x], keys: [dup-secret]}]")).hasMessageContaining("tenant b: keys[0] is also a "
                + "key of tenant a").hasMessageNotContaining("dup-secret");
        assertThatThrownBy(() -> TenantFile.parse("tenants: [{name: a, models: [], keys: [secret]}]"))
                .hasMessageContaining("tenant a: models").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> TenantFile.parse("tenants: [{name: a, keys: [secret-value\n")).isInstanceOf(
                IllegalArgumentException.class).hasMessageNotContaining("secret-value");
    }
}
