package dev.switchboard.router.http;

import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.auth.TenantKeysFile;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.health.FatalErrors;
import dev.switchboard.router.limits.TenantLimiter;
import dev.switchboard.router.proxy.CircuitBreakers;
import dev.switchboard.router.shadow.ShadowLedger;
import dev.switchboard.router.shadow.ShadowSamples;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.router.usage.UsageLedger;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Comparator;

/**
 * The router's own views, on the management port (quarkus.management.port, 9000) next to /q/health and /q/metrics,
 * never on the client port: /q/routing (the table, credentials removed from URLs), /q/tenants (each tenant's
 * models, limits, usage since start and current counters; no key or key hash), /q/shadow (what this replica's
 * shadow policies decided) and /q/shadow/samples (sampled answer pairs: user questions and answers, hence not on the
 * client port).
 */
@ApplicationScoped
public class ManagementRoutes {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ManagementRoutes.class);

    private final RoutingTableHolder tables;
    private final CircuitBreakers breakers;
    private final TenantKeysFile keys;
    private final UsageLedger ledger;
    private final TenantLimiter limiter;
    private final RouterConfig config;
    private final ShadowLedger shadows;
    private final ShadowSamples samples;

    public ManagementRoutes(RoutingTableHolder tables, CircuitBreakers breakers, TenantKeysFile keys,
                            UsageLedger ledger, TenantLimiter limiter, RouterConfig config, ShadowLedger shadows,
                            ShadowSamples samples) {
        this.shadows = shadows;
        this.samples = samples;
        this.tables = tables;
        this.breakers = breakers;
        this.keys = keys;
        this.ledger = ledger;
        this.limiter = limiter;
        this.config = config;
    }

    void init(@Observes ManagementInterface management, Vertx vertx) {
        vertx.exceptionHandler(t -> {
            FatalErrors.record(t);
            LOG.error("uncaught exception on the event loop", t);
        });
        management.router().get("/q/routing").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json")
                .end(RoutingInfo.toJson(tables.snapshot(), breakers).encodePrettily()));
        management.router().get("/q/tenants").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json").end(tenants().encodePrettily()));
        management.router().get("/q/shadow").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json").end(shadows.view().encodePrettily()));
        management.router().get("/q/shadow/samples").handler(ctx -> {
            long after;
            try {
                after = Long.parseLong(ctx.request().getParam("after", "0"));
            } catch (NumberFormatException e) {
                ctx.response().setStatusCode(400).end("after: a sequence number");
                return;
            }
            ctx.response().putHeader("content-type", "application/json").end(samples.view(after).encode());
        });
    }

    private JsonObject tenants() {
        JsonArray list = new JsonArray();
        var tenants = config.auth().mode() == RouterConfig.Auth.Mode.OPEN
                ? java.util.List.of(Tenant.ANONYMOUS)
                : keys.directory().byName().values().stream().sorted(Comparator.comparing(Tenant::name)).toList();
        for (Tenant t : tenants) {
            var l = t.limits();
            JsonObject limits = new JsonObject().put("requestsPerMinute", l.requestsPerMinute())
                    .put("tokensPerMinute", l.tokensPerMinute()).put("concurrentRequests", l.concurrentRequests());
            if (l.hasBudget()) {
                limits.put("budget", new JsonObject().put("tokens", l.budgetTokens()).put("cost", l.budgetCost())
                        .put("period", l.budgetPeriod().toString()));
            }
            list.add(new JsonObject().put("name", t.name())
                    .put("models", new JsonArray(t.models().stream().sorted().toList())).put("limits", limits)
                    .put("usage", new JsonObject(new java.util.LinkedHashMap<>(ledger.view(t.name()))))
                    .put("now", new JsonObject(new java.util.LinkedHashMap<>(limiter.view(t))).put("replicas", config.limits().replicas())));
        }
        return new JsonObject().put("mode", config.auth().mode().name().toLowerCase(java.util.Locale.ROOT))
                .put("keysFile", config.auth().keysFile().orElse(null))
                .put("loadedAt", keys.loadedAt() == null ? null : keys.loadedAt().toString())
                .put("problem", keys.problem()).put("tenants", list);
    }
}
