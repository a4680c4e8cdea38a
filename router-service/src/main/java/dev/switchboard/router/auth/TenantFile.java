package dev.switchboard.router.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys file (docs/router.md, "Clients, tenants and limits"):
 * <pre>
 * tenants:
 *   - name: team-a
 *     models: [switchboard-coe]          # or ["*"]
 *     keys: [sha256:9f86d0..., "plain-key"]
 *     limits: {requestsPerMinute: 600, tokensPerMinute: 200000, concurrentRequests: 20,
 *              budget: {tokens: 5000000, cost: 50, period: 24h}}
 * </pre>
 * Plain keys are hashed here and not kept. Errors name the tenant and field, never a key.
 */
public final class TenantFile {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private TenantFile() {
    }

    public static TenantDirectory parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (java.io.IOException e) {
            // the parser's message may quote the file's content (keys): say only where
            throw new IllegalArgumentException("not valid YAML" + location(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return TenantDirectory.EMPTY;
        }
        JsonNode tenants = root.path("tenants");
        if (!tenants.isArray()) {
            throw new IllegalArgumentException("'tenants' must be a list");
        }
        Map<String, Tenant> byKey = new HashMap<>();
        Map<String, Tenant> byName = new HashMap<>();
        int index = 0;
        for (JsonNode t : tenants) {
            String where = "tenants[" + index++ + "]";
            String name = t.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ".name must be 1-63 letters, digits, '.', '_' or '-'");
            }
            where = "tenant " + name;
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException(where + " is listed twice");
            }
            Set<String> models = new LinkedHashSet<>();
            for (JsonNode m : t.path("models")) {
                models.add(m.asText());
            }
            if (models.isEmpty()) {
                throw new IllegalArgumentException(where + ": models must list at least one model (or \"*\")");
            }
            Tenant tenant = new Tenant(name, models, limits(t.path("limits"), where));
            byName.put(name, tenant);
            int k = 0;
            for (JsonNode keyNode : t.path("keys")) {
                String key = keyNode.asText("").strip();
                String hash = key.startsWith(ApiKeyHash.PREFIX)
                        ? key.substring(ApiKeyHash.PREFIX.length()).toLowerCase(Locale.ROOT) : ApiKeyHash.of(key);
                if (key.isEmpty() || key.startsWith(ApiKeyHash.PREFIX) && !HEX.matcher(hash).matches()) {
                    throw new IllegalArgumentException(where + ": keys[" + k + "] is empty or not sha256:<64 hex>");
                }
                Tenant other = byKey.put(hash, tenant);
                if (other != null && other != tenant) {
                    throw new IllegalArgumentException(where + ": keys[" + k + "] is also a key of tenant "
                            + other.name());
                }
                k++;
            }
        }
        return new TenantDirectory(byKey, byName);
    }

    private static TenantLimits limits(JsonNode l, String where) {
        if (l.isMissingNode() || l.isNull()) {
            return TenantLimits.NONE;
        }
        JsonNode budget = l.path("budget");
        Duration period = null;
        long budgetTokens = 0;
        double budgetCost = 0;
        if (!budget.isMissingNode() && !budget.isNull()) {
            budgetTokens = nonNegative(budget.path("tokens").asLong(0), where + ".limits.budget.tokens");
            budgetCost = budget.path("cost").asDouble(0);
            if (budgetCost < 0) {
                throw new IllegalArgumentException(where + ".limits.budget.cost must not be negative");
            }
            period = GoDuration.parse(budget.path("period").asText("24h"), where + ".limits.budget.period");
        }
        return new TenantLimits(
                count(l.path("requestsPerMinute").asLong(0), where + ".limits.requestsPerMinute"),
                nonNegative(l.path("tokensPerMinute").asLong(0), where + ".limits.tokensPerMinute"),
                count(l.path("concurrentRequests").asLong(0), where + ".limits.concurrentRequests"),
                budgetTokens, budgetCost, period);
    }

    private static long nonNegative(long v, String field) {
        if (v < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return v;
    }

    private static int count(long v, String field) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be between 0 and " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static String location(java.io.IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return " (line " + j.getLocation().getLineNr() + ")";
        }
        return "";
    }

    /** Durations such as 30s, 1h, 24h, 720h. */
    static final class GoDuration {
        private static final Pattern FORM = Pattern.compile("([0-9]+)(ms|s|m|h)");

        static Duration parse(String text, String field) {
            var m = FORM.matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(field + " must be a duration such as 1h or 24h, not '" + text
                        + "'");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException(field + " must be at least 1s");
            }
            return d;
        }
    }
}
