package dev.switchboard.router;

import dev.switchboard.router.auth.ApiKeyHash;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The router as a production gateway: API keys from a keys file, tenants with limits, and small overload bounds so
 * the hostile-client cases reach them quickly. Shared by {@link GatewayTest} and {@link HostileClientTest} (one
 * Quarkus start). Quarkus orders test classes by profile name: this one runs after {@link KubernetesModeProfile},
 * whose name resolution is set when Vert.x is first created in this JVM.
 */
public class TenantKeysProfile implements QuarkusTestProfile {
    static final Path KEYS = Path.of("target/gateway-keys/keys.yaml").toAbsolutePath();
    static final int MAX_IN_FLIGHT = 24;

    static final String KEYS_YAML = """
            tenants:
              - name: alpha
                models: ["*"]
                keys: [%s]
              - name: narrow
                models: [gw-coe]
                keys: ["narrow-key\\n"]
              - name: rpm
                models: ["*"]
                keys: [rpm-key]
                limits: {requestsPerMinute: 3}
              - name: tpm
                models: ["*"]
                keys: [tpm-key]
                limits: {tokensPerMinute: 25}
              - name: conc
                models: ["*"]
                keys: [conc-key]
                limits: {concurrentRequests: 1}
              - name: budget
                models: ["*"]
                keys: [budget-key]
                limits: {budget: {tokens: 30, period: 24h}}
              - name: holder
                models: ["*"]
                keys: [holder-key]
                limits: {requestsPerMinute: 2, concurrentRequests: 1}
            """.formatted(ApiKeyHash.PREFIX + ApiKeyHash.of("alpha-key"));

    @Override
    public Map<String, String> getConfigOverrides() {
        writeKeys(KEYS_YAML);
        return Map.ofEntries(
                Map.entry("switchboard.auth.mode", "api-keys"),
                Map.entry("switchboard.auth.keys-file", KEYS.toString()),
                Map.entry("switchboard.auth.reload-interval", "100ms"),
                Map.entry("switchboard.auth.trusted-tenant-header", "x-test-tenant"),
                Map.entry("switchboard.max-body-bytes", "262144"),
                Map.entry("switchboard.overload.max-in-flight", Integer.toString(MAX_IN_FLIGHT)),
                Map.entry("switchboard.overload.body-read-timeout", "1s"),
                Map.entry("switchboard.overload.decision-threads", "1"),
                Map.entry("switchboard.overload.decision-queue", "2"),
                Map.entry("quarkus.http.limits.max-connections", "300"));
    }

    static void writeKeys(String yaml) {
        try {
            Files.createDirectories(KEYS.getParent());
            Path tmp = KEYS.resolveSibling("keys.yaml.tmp");
            Files.writeString(tmp, yaml);
            Files.move(tmp, KEYS, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
