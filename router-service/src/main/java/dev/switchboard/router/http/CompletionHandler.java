package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.DecisionHeaders;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.openai.OpenAiRequest;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.picking.SessionKeys;
import dev.switchboard.router.picking.StickyExperts;
import dev.switchboard.router.proxy.ExpertProxy;
import dev.switchboard.router.proxy.UpstreamRequest;
import dev.switchboard.router.table.RoutingTableHolder;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The request path of completions and dry runs: parse → decide → plan → proxy → relay. A {@link ClientExchange}
 * owns each request from its first line here until its response is over; the engine decides ({@link StrategyRunner})
 * and plans ({@link RoutePlan}); {@link ExpertProxy} walks the plan; the exchange relays the answer.
 */
@ApplicationScoped
public class CompletionHandler {
    private static final Logger LOG = Logger.getLogger(CompletionHandler.class);

    private final RoutingTableHolder tables;
    private final RouterMetrics metrics;
    private final ExpertProxy proxy;
    private final StrategyRunner strategies;
    private final boolean forwardAuthorization;
    private final EndpointPicker picker;

    public CompletionHandler(RoutingTableHolder tables, RouterConfig config, RouterMetrics metrics, Vertx vertx,
                             ExpertProxy proxy, EndpointPicker picker) {
        this.tables = tables;
        this.metrics = metrics;
        this.proxy = proxy;
        this.strategies = new StrategyRunner(vertx, config.eventLoopStrategies());
        this.forwardAuthorization = config.forwardAuthorization();
        this.picker = picker;
    }

    /** @param dryRunRoute /v1/route: answer with the decision instead of an expert's answer */
    void handle(RoutingContext ctx, String apiPath, boolean dryRunRoute) {
        ClientExchange exchange = ClientExchange.begin(ctx, metrics);
        try {
            OpenAiRequest request = OpenAiRequest.parse(ctx.body().buffer(), apiPath);
            boolean dryRun = dryRunRoute || "true".equalsIgnoreCase(ctx.request().getHeader(DecisionHeaders.DRY_RUN));
            RoutingTable table = tables.table();
            PolicyRoute policy = table.policies().get(request.model());
            if (policy != null) {
                strategies.decide(policy, request).onComplete(ar -> {
                    if (exchange.over()) {
                        return; // the client left while the strategy decided
                    }
                    if (ar.failed()) {
                        exchange.reject(routingFailed(policy, ar.cause()));
                        return;
                    }
                    try {
                        String session = session(ctx, request, policy.namespace() + "/" + policy.name(),
                                policy.picking());
                        Decision decision = StickyExperts.apply(ar.result(), policy,
                                picker.sessionExpert(session, System.nanoTime()));
                        proceed(ctx, exchange, request, dryRun, table, decision, RoutePlan.of(policy, decision),
                                session);
                    } catch (RuntimeException e) {
                        exchange.reject(internalError(e));
                    }
                });
                return;
            }
            ExpertInfo pinned = table.experts().get(request.model());
            if (pinned == null) {
                exchange.reject(new OpenAiError(404, "The model '" + request.model() + "' does not exist. Available "
                        + "models: " + String.join(", ", table.availableModels()), "invalid_request_error", "model",
                        "model_not_found"));
                return;
            }
            RoutePlan plan = table.pinnedPlan(pinned);
            proceed(ctx, exchange, request, dryRun, table, Decision.pinned(pinned), plan,
                    session(ctx, request, pinned.namespace() + "/" + pinned.name(), plan.picking()));
        } catch (OpenAiError.Failure f) {
            exchange.reject(f.error());
        } catch (RuntimeException e) {
            exchange.reject(internalError(e));
        }
    }

    private void proceed(RoutingContext ctx, ClientExchange exchange, OpenAiRequest request, boolean dryRun,
                         RoutingTable table, Decision decision, RoutePlan plan, String session) {
        exchange.decided(request.model(), decision);
        if (dryRun) {
            exchange.dryRun(RoutingInfo.decisionJson(decision, request.model(), table.version()).toBuffer());
            return;
        }
        if (decision.directAnswer() != null) {
            exchange.direct(DirectAnswer.completion(request, decision.directAnswer()).toBuffer());
            return;
        }
        String authorization = forwardAuthorization ? ctx.request().getHeader("authorization") : null;
        UpstreamRequest upstream = new UpstreamRequest(request.apiPath(), request.body(),
                ctx.request().getHeader("accept"), authorization, session);
        exchange.proxiedBy(proxy.send(upstream, plan, exchange));
    }

    /** The request's session key under {@code scope} (the policy, or a pinned expert), or null. */
    private static String session(RoutingContext ctx, OpenAiRequest request, String scope,
                                  dev.switchboard.engine.EndpointPicking picking) {
        String header = picking.sessionHeader() == null ? null : ctx.request().getHeader(picking.sessionHeader());
        return SessionKeys.of(scope, header, request.body(), picking);
    }

    private static OpenAiError routingFailed(PolicyRoute policy, Throwable e) {
        LOG.warnf("routing failed for policy %s: %s", policy.name(), e.toString());
        return new OpenAiError(500, "routing failed for policy '" + policy.name() + "': " + e.getMessage(),
                "server_error", null, "routing_failed");
    }

    private static OpenAiError internalError(RuntimeException e) {
        LOG.error("request failed", e);
        return new OpenAiError(500, "internal router error: " + e.getClass().getSimpleName(), "server_error", null,
                "internal_error");
    }
}
