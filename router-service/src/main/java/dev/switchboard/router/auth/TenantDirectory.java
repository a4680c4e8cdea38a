package dev.switchboard.router.auth;

import java.util.Map;

/** The tenants of one version of the keys file: by API-key hash and by name. Immutable. */
public record TenantDirectory(Map<String, Tenant> byKeyHash, Map<String, Tenant> byName) {
    public static final TenantDirectory EMPTY = new TenantDirectory(Map.of(), Map.of());

    public TenantDirectory {
        byKeyHash = Map.copyOf(byKeyHash);
        byName = Map.copyOf(byName);
    }

    public Tenant byKey(String key) {
        return byKeyHash.get(ApiKeyHash.of(key));
    }
}
