package dev.switchboard.operator.trust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint rules as the operator applies them; the same URLs are refused by the chart's admission policy
 * (TrustAdmissionPolicyTest, packaging-tests) with the same reasons.
 */
class EndpointRulesTest {
    static final EndpointRules DEFAULTS = EndpointRules.defaults();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://169.254.169.254/latest/meta-data | address 169.254.169.254 is a loopback, link-local",
            "http://127.0.0.1:8080/v1                | address 127.0.0.1 is a loopback, link-local",
            "http://[::1]:8080/v1                    | address ::1 is a loopback, link-local",
            "http://[fe80::1]/v1                     | address fe80::1 is a loopback, link-local",
            "http://0.0.0.0/v1                       | address 0.0.0.0 is a loopback, link-local",
            "https://kubernetes.default.svc/api      | host kubernetes.default.svc is the cluster's API server",
            "https://kubernetes.default.svc.cluster.local/api | is the cluster's API server",
            "https://KUBERNETES/api                  | host kubernetes is the cluster's API server",
            "https://localhost:6443/                 | host localhost is a local or cloud metadata name",
            "http://metadata.google.internal/v1      | local or cloud metadata name",
            "http://100.100.100.200/latest           | is a reserved or cloud metadata address",
            "http://[::ffff:169.254.169.254]/        | is neither a DNS name nor an IP address",
            "http://2852039166/                      | host 2852039166 is neither a DNS name nor an IP address",
            "http://127.1/                           | host 127.1 is neither a DNS name nor an IP address",
            "https://user@llm.example.com/v1         | user info"})
    void theDefaultsRefuse(String url, String why) {
        Optional<Violation> v = DEFAULTS.check("spec.external.url", url, false);
        assertThat(v).isPresent();
        assertThat(v.get().reason()).isEqualTo(Violation.ENDPOINT_NOT_ALLOWED);
        assertThat(v.get().message()).contains(why);
        assertThat(v.get().field()).isEqualTo("spec.external.url");
    }

    @Test
    void theDefaultsAllowPublicHostsAndKeysOnlyOverHttps() {
        assertThat(DEFAULTS.check("f", "https://llm.example.com/v1", true)).isEmpty();
        assertThat(DEFAULTS.check("f", "https://llm.example.com./v1", true)).isEmpty();
        assertThat(DEFAULTS.check("f", "http://llm.example.com/v1", false)).isEmpty();
        assertThat(DEFAULTS.check("f", "http://10.1.2.3:8000/v1", false)).isEmpty();
        Optional<Violation> clear = DEFAULTS.check("f", "http://llm.example.com/v1", true);
        assertThat(clear).hasValueSatisfying(v -> {
            assertThat(v.reason()).isEqualTo(Violation.PLAIN_HTTP_NOT_ALLOWED);
            assertThat(v.message()).contains("only over https", "trust.endpoints.plainHttp");
        });
    }

    @Test
    void explicitListsAllowAndRestrict() {
        EndpointRules rules = new EndpointRules(List.of("*.openai.com", "embedder.ai.svc.cluster.local"),
                List.of(IpRange.parse("127.0.0.0/8")), List.of(IpRange.parse("10.96.0.0/12")),
                List.of("*.svc.cluster.local", "127.0.0.0/8"));
        assertThat(rules.check("f", "https://api.openai.com/v1", true)).isEmpty();
        assertThat(rules.check("f", "https://openai.com/v1", true)).hasValueSatisfying(v ->
                assertThat(v.message()).contains("not in trust.endpoints.allowedHosts"));
        assertThat(rules.check("f", "http://embedder.ai.svc.cluster.local/v1", true)).isEmpty();
        assertThat(rules.check("f", "http://127.0.0.1:9/v1", true)).isEmpty();
        assertThat(rules.check("f", "http://10.0.0.1/v1", false)).hasValueSatisfying(v ->
                assertThat(v.message()).contains("not in trust.endpoints.allowedCIDRs"));
        assertThat(rules.check("f", "https://kubernetes.default.svc/", false)).hasValueSatisfying(v ->
                assertThat(v.message()).contains("API server"));
        EndpointRules denied = new EndpointRules(List.of(), List.of(), List.of(IpRange.parse("10.96.0.0/12")),
                List.of());
        assertThat(denied.check("f", "https://10.96.0.1/", false)).hasValueSatisfying(v ->
                assertThat(v.message()).contains("trust.endpoints.deniedCIDRs 10.96.0.0/12"));
    }

    @Test
    void resolvedAddressesAreCheckedUnlessExplicitlyAllowed() throws Exception {
        assertThat(DEFAULTS.resolvedAddressProblem("evil.example", InetAddress.getByName("169.254.169.254")))
                .hasValueSatisfying(p -> assertThat(p).contains("evil.example (169.254.169.254)", "link-local"));
        assertThat(DEFAULTS.resolvedAddressProblem("llm.example", InetAddress.getByName("93.184.216.34"))).isEmpty();
        EndpointRules loopback = new EndpointRules(List.of(), List.of(IpRange.parse("127.0.0.0/8")), List.of(),
                List.of());
        assertThat(loopback.resolvedAddressProblem("local.test", InetAddress.getByName("127.0.0.1"))).isEmpty();
    }

    @Test
    void ipRanges() {
        assertThat(IpRange.parse("10.0.0.0/8").contains(new byte[] {10, 1, 2, 3})).isTrue();
        assertThat(IpRange.parse("10.0.0.0/8").contains(new byte[] {11, 1, 2, 3})).isFalse();
        assertThat(IpRange.parse("192.168.1.128/25").contains(new byte[] {(byte) 192, (byte) 168, 1, (byte) 200}))
                .isTrue();
        assertThat(IpRange.parse("192.168.1.128/25").contains(new byte[] {(byte) 192, (byte) 168, 1, 5})).isFalse();
        assertThat(IpRange.parse("fd00::/8").contains(IpLiteral.parse("fd12::1").orElseThrow())).isTrue();
        assertThat(IpRange.parse("10.0.0.0/8").contains(IpLiteral.parse("fd12::1").orElseThrow())).isFalse();
        assertThat(IpLiteral.is("010.0.0.1")).isFalse();
        assertThat(IpLiteral.is("::ffff:10.0.0.1")).isFalse();
    }
}
