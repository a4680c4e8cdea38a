package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.auth.ClientAuthenticator;
import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.health.FatalErrors;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.DecisionHeaders;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.openai.OpenAiRequest;
import dev.switchboard.router.overload.DecisionPools;
import dev.switchboard.router.picking.EndpointPicker;
import dev.switchboard.router.picking.SessionKeys;
import dev.switchboard.router.picking.StickyExperts;
import dev.switchboard.router.proxy.ExpertProxy;
import dev.switchboard.router.proxy.UpstreamRequest;
import dev.switchboard.router.shadow.ShadowObserver;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.router.usage.UsageLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The request path of completions and dry runs: parse → decide → plan → proxy → relay. A {@link ClientExchange}
 * owns each request from its first line ({@link RequestGate}, which also authenticated and admitted it) until its
 * response is over; the engine decides ({@link StrategyRunner}) and plans ({@link RoutePlan}); {@link ExpertProxy}
 * walks the plan; the exchange relays the answer and meters its usage.
 */
@ApplicationScoped
public class CompletionHandler {
    private static final Logger LOG = Logger.getLogger(CompletionHandler.class);

    private final RoutingTableHolder tables;
    private final ExpertProxy proxy;
    private final StrategyRunner strategies;
    private final UsageLedger ledger;
    private final RouterMetrics metrics;
    private final Vertx vertx;
    private final boolean forwardAuthorization;
    private final EndpointPicker picker;
    private final ShadowObserver shadows;

    public CompletionHandler(RoutingTableHolder tables, RouterConfig config, RouterMetrics metrics, Vertx vertx,
                             ExpertProxy proxy, DecisionPools pools, UsageLedger ledger, ClientAuthenticator auth,
                             EndpointPicker picker, ShadowObserver shadows) {
        this.tables = tables;
        this.shadows = shadows;
        this.proxy = proxy;
        this.metrics = metrics;
        this.vertx = vertx;
        this.ledger = ledger;
        this.strategies = new StrategyRunner(pools, config.eventLoopStrategies());
        // With API keys the client's Authorization holds the router's key, which no expert may see.
        this.forwardAuthorization = config.forwardAuthorization() && auth.open();
        this.picker = picker;
    }

    /** @param dryRunRoute /v1/route: answer with the decision instead of an expert's answer */
    void handle(RoutingContext ctx, String apiPath, boolean dryRunRoute) {
        ClientExchange exchange = RequestGate.bodyRead(ctx, vertx);
        if (exchange == null || exchange.over()) {
            return; // refused (or timed out) before its body was read
        }
        try {
            OpenAiRequest request = OpenAiRequest.parse(ctx.body().buffer(), apiPath);
            exchange.requested(request.model());
            boolean dryRun = dryRunRoute || "true".equalsIgnoreCase(ctx.request().getHeader(DecisionHeaders.DRY_RUN));
            RoutingTable table = tables.table();
            Tenant tenant = exchange.tenant();
            if (!tenant.allows(request.model())) {
                ledger.rejected(tenant.name(), "model");
                exchange.reject(notFound(request.model(), table, tenant));
                return;
            }
            PolicyRoute policy = table.policies().get(request.model());
            if (request.embeddings()) {
                embeddings(ctx, exchange, request, dryRun, table, tenant, policy);
                return;
            }
            if (policy != null) {
                checkCaps(request.body(), policy.caps());
                strategies.decide(policy, request, exchange::over).onComplete(ar -> {
                    if (exchange.over()) {
                        return; // the client left while the strategy decided
                    }
                    if (ar.failed()) {
                        exchange.reject(decisionFailed(policy, ar.cause()));
                        return;
                    }
                    try {
                        Decision decided = ar.result().decision();
                        if (!dryRun) {
                            // the policy's shadow, if any, decides too (compared with the strategy's own decision,
                            // before session stickiness): off this request's path, never waited for
                            exchange.sampledBy(shadows.observe(table, policy, request.query(), request.body(),
                                    request.apiPath(), decided, ar.result().nanos()));
                        }
                        String session = session(ctx, request, exchange.tenant(), RoutePlan.scopeOf(policy),
                                policy.picking());
                        Decision decision = StickyExperts.apply(decided, policy,
                                picker.sessionExpert(session, System.nanoTime()));
                        proceed(ctx, exchange, request, dryRun, table, decision, RoutePlan.of(policy, decision),
                                session);
                    } catch (OpenAiError.Failure f) {
                        exchange.reject(f);
                    } catch (RuntimeException e) {
                        exchange.reject(internalError(e));
                    }
                });
                return;
            }
            ExpertInfo pinned = table.experts().get(request.model());
            if (pinned == null) {
                exchange.reject(notFound(request.model(), table, tenant));
                return;
            }
            if (pinned.embeds()) {
                throw wrongEndpoint(request.model() + "' serves embeddings only (ExpertModel " + pinned.name()
                        + ", spec.task: embed); call POST /v1/embeddings with it").asFailure();
            }
            RoutePlan plan = table.pinnedPlan(pinned);
            PolicyRoute owner = plan.scope() == null ? null : table.policies().values().stream()
                    .filter(p -> RoutePlan.scopeOf(p).equals(plan.scope())).findFirst().orElse(null);
            if (owner != null) {
                checkCaps(request.body(), owner.caps());
            }
            proceedPinned(ctx, exchange, request, dryRun, table, tenant, pinned, plan);
        } catch (OpenAiError.Failure f) {
            exchange.reject(f);
        } catch (RuntimeException e) {
            exchange.reject(internalError(e));
        }
    }

    /** /v1/embeddings: to the embedding expert the model names, never through a policy's strategy. */
    private void embeddings(RoutingContext ctx, ClientExchange exchange, OpenAiRequest request, boolean dryRun,
                            RoutingTable table, Tenant tenant, PolicyRoute policy) {
        if (policy != null) {
            throw wrongEndpoint(request.model() + "' is a routed chat model (RoutingPolicy " + policy.namespace()
                    + "/" + policy.name() + ") and serves chat, completions and responses, not embeddings; "
                    + "embedding models: " + embeddingModels(table, tenant)).asFailure();
        }
        ExpertInfo expert = table.experts().get(request.model());
        if (expert == null) {
            exchange.reject(notFound(request.model(), table, tenant));
            return;
        }
        if (!expert.embeds()) {
            throw wrongEndpoint(request.model() + "' (ExpertModel " + expert.name() + ") serves " + expert.serves()
                    + ", not embeddings; embedding models: " + embeddingModels(table, tenant)).asFailure();
        }
        proceedPinned(ctx, exchange, request, dryRun, table, tenant, expert, table.pinnedPlan(expert));
    }

    /** A request for one expert by its model name: its own plan, sessions scoped to the expert. */
    private void proceedPinned(RoutingContext ctx, ClientExchange exchange, OpenAiRequest request, boolean dryRun,
                               RoutingTable table, Tenant tenant, ExpertInfo expert, RoutePlan plan) {
        proceed(ctx, exchange, request, dryRun, table, Decision.pinned(expert), plan,
                session(ctx, request, tenant, expert.namespace() + "/" + expert.name(), plan.picking()));
    }

    private static String embeddingModels(RoutingTable table, Tenant tenant) {
        List<String> names = table.experts().values().stream().filter(e -> e.embeds() && e.routable())
                .map(ExpertInfo::servedModelName).filter(tenant::allows).sorted().toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A model asked for on an endpoint it does not serve: 400 naming the model and what it serves. */
    private static OpenAiError wrongEndpoint(String modelAndWhy) {
        return new OpenAiError(400, "The model '" + modelAndWhy, "invalid_request_error", "model",
                "model_not_supported");
    }

    private void proceed(RoutingContext ctx, ClientExchange exchange, OpenAiRequest request, boolean dryRun,
                         RoutingTable table, Decision decision, RoutePlan plan, String session) {
        exchange.decided(request.model(), decision);
        if (dryRun) {
            exchange.dryRun(RoutingInfo.decisionJson(decision, request.model(), table.version()).toBuffer());
            return;
        }
        if (decision.directAnswer() != null) {
            exchange.direct(DirectAnswer.of(request, decision.directAnswer()).toBuffer());
            return;
        }
        JsonObject body = request.body();
        boolean dropUsageChunk = false;
        if (request.apiPath().equals(OpenAiRequest.RESPONSES)) {
            // Nothing is kept on an expert that no later request could reach (store: true is refused when parsed).
            body.put("store", false);
        } else if (request.stream() && !clientAskedForUsage(body)) {
            // Usage that streaming cannot evade: ask the expert for its usage event, and keep it from the client.
            JsonObject options = body.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            body.put("stream_options", options.put("include_usage", true));
            dropUsageChunk = true;
        }
        exchange.metering(request.stream(), dropUsageChunk, ctx.body().length() / 4L);
        String authorization = forwardAuthorization ? ctx.request().getHeader("authorization") : null;
        UpstreamRequest upstream = new UpstreamRequest(request.apiPath(), body,
                ctx.request().getHeader("accept"), authorization, request.stream(), session,
                exchange.traceContext());
        exchange.proxiedBy(proxy.send(upstream, plan, exchange));
    }

    /**
     * The request's session key under {@code scope} (the policy, or a pinned expert) and its tenant, so one tenant's
     * session never steers another's requests; or null.
     */
    private static String session(RoutingContext ctx, OpenAiRequest request, Tenant tenant, String scope,
                                  EndpointPicking picking) {
        String header = picking.sessionHeader() == null ? null : ctx.request().getHeader(picking.sessionHeader());
        return SessionKeys.of(scope + '\u0000' + tenant.name(), header, request.body(), picking);
    }

    private static boolean clientAskedForUsage(JsonObject body) {
        return body.getValue("stream_options") instanceof JsonObject o
                && Boolean.TRUE.equals(o.getValue("include_usage"));
    }

    /** spec.requestLimits: max_tokens (or max_completion_tokens) and n above the policy's caps are refused. */
    private static void checkCaps(JsonObject body, PolicyRoute.RequestCaps caps) {
        if (caps.maxTokens() > 0) {
            for (String param : new String[] {"max_tokens", "max_completion_tokens", "max_output_tokens"}) {
                if (body.getValue(param) instanceof Number n && n.doubleValue() > caps.maxTokens()) {
                    throw OpenAiError.badRequest("'" + param + "' is above this model's cap of " + caps.maxTokens(),
                            param, "max_tokens_above_cap").asFailure();
                }
            }
        }
        if (caps.maxN() > 0 && body.getValue("n") instanceof Number n && n.doubleValue() > caps.maxN()) {
            throw OpenAiError.badRequest("'n' is above this model's cap of " + caps.maxN(), "n", "n_above_cap")
                    .asFailure();
        }
    }

    /** Unknown and not allowed look the same, so a key does not reveal which models exist. */
    private static OpenAiError notFound(String model, RoutingTable table, Tenant tenant) {
        String available = String.join(", ", table.availableModels().stream().filter(tenant::allows).toList());
        return new OpenAiError(404, "The model '" + model + "' does not exist or you do not have access to it. "
                + "Available models: " + available, "invalid_request_error", "model", "model_not_found");
    }

    private OpenAiError.Failure decisionFailed(PolicyRoute policy, Throwable e) {
        if (e instanceof DecisionPools.Saturated) {
            metrics.shed("decision_pool");
            return OpenAiError.overloaded("routing for model '" + policy.modelName() + "' is at its limit: "
                    + e.getMessage() + "; retry shortly").asFailure(1);
        }
        FatalErrors.record(e);
        LOG.warnf("routing failed for policy %s: %s", policy.name(), e.toString());
        return new OpenAiError(500, "routing failed for policy '" + policy.name() + "'", "server_error", null,
                "routing_failed").asFailure(0);
    }

    private static OpenAiError internalError(RuntimeException e) {
        LOG.error("request failed", e);
        return new OpenAiError(500, "internal router error: " + e.getClass().getSimpleName(), "server_error", null,
                "internal_error");
    }
}
