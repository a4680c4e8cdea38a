package dev.switchboard.router.http;

import dev.switchboard.router.auth.ClientAuthenticator;
import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.limits.TenantLimiter;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.tracing.RouterTracing;
import dev.switchboard.router.usage.UsageLedger;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The first handler of every completion and dry run, before the body is read, so a request that will be refused
 * costs no body: it opens the request's {@link ClientExchange}, sheds beyond switchboard.overload.max-in-flight
 * (503, Retry-After), authenticates the caller (401), admits it under its tenant's limits (429, Retry-After), and
 * arms the body-read deadline (408 and the connection closed when the body is not complete in time).
 */
@ApplicationScoped
public class RequestGate {
    private static final String EXCHANGE = "switchboard.exchange";
    private static final String BODY_TIMER = "switchboard.bodyTimer";

    private final Vertx vertx;
    private final ClientAuthenticator auth;
    private final ExchangeServices services;
    private final int maxInFlight;
    private final long bodyReadMillis;

    public RequestGate(Vertx vertx, ClientAuthenticator auth, RouterConfig config, RouterMetrics metrics,
                       UsageLedger ledger, TenantLimiter limiter, RouterTracing tracing) {
        this.vertx = vertx;
        this.auth = auth;
        this.services = new ExchangeServices(metrics, ledger, limiter, tracing);
        this.maxInFlight = Math.max(1, config.overload().maxInFlight());
        this.bodyReadMillis = Math.max(1, config.overload().bodyReadTimeout().toMillis());
    }

    void handle(RoutingContext ctx) {
        ClientExchange exchange = ClientExchange.begin(ctx, services);
        ctx.put(EXCHANGE, exchange);
        if (services.metrics().requestsInFlight().count() > maxInFlight) {
            services.metrics().shed("in_flight");
            exchange.reject(OpenAiError.overloaded("the router is at its limit of " + maxInFlight
                    + " requests in flight; retry shortly"));
            return;
        }
        Tenant tenant;
        try {
            tenant = auth.authenticate(ctx.request());
        } catch (OpenAiError.Failure f) {
            services.metrics().shed("unauthenticated");
            exchange.reject(f);
            return;
        }
        try {
            exchange.admitted(tenant, services.limiter().admit(tenant));
        } catch (OpenAiError.Failure f) {
            services.ledger().rejected(tenant.name(), rejectionReason(f.error()));
            exchange.reject(f);
            return;
        }
        long timer = vertx.setTimer(bodyReadMillis, id -> bodyTooSlow(ctx));
        ctx.put(BODY_TIMER, timer);
        ctx.next();
    }

    /** The request's exchange, its body now read (the body-read deadline is off). Null if the gate did not run. */
    static ClientExchange bodyRead(RoutingContext ctx, Vertx vertx) {
        Long timer = ctx.get(BODY_TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        return ctx.get(EXCHANGE);
    }

    private void bodyTooSlow(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        services.metrics().shed("body_timeout");
        ctx.response().putHeader("connection", "close");
        new OpenAiError(408, "the request body was not complete within " + bodyReadMillis + " ms",
                "invalid_request_error", null, "request_timeout").send(ctx.response(), 0);
        ctx.request().connection().close();
    }

    private static String rejectionReason(OpenAiError error) {
        if ("insufficient_quota".equals(error.code())) {
            return "budget";
        }
        return error.message().startsWith("too many concurrent") ? "concurrency" : error.type();
    }
}
