package dev.switchboard.router.auth;

import java.util.Set;

/**
 * A client of the router: its name (a metric label and the per-tenant view's key), the models it may call (policy
 * model names or expert served names; "*" for every one) and its limits.
 */
public record Tenant(String name, Set<String> models, TenantLimits limits) {
    /** Everyone, in open mode. */
    public static final Tenant ANONYMOUS = new Tenant("anonymous", Set.of("*"), TenantLimits.NONE);

    public Tenant {
        models = Set.copyOf(models);
    }

    public boolean allows(String model) {
        return models.contains("*") || models.contains(model);
    }
}
