package dev.switchboard.router.http;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.metrics.Outcome;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.openai.DecisionHeaders;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.openai.OpenAiRequest;
import dev.switchboard.router.proxy.CircuitBreakers;
import dev.switchboard.router.proxy.EndpointBalancer;
import dev.switchboard.router.proxy.ProxyExchange;
import dev.switchboard.router.proxy.UpstreamClient;
import dev.switchboard.router.table.RoutingTableHolder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The OpenAI-compatible data plane on Vert.x routes (event loop, no blocking): completions are parsed, routed on
 * the routing table read once per request, and proxied by {@link ProxyExchange}.
 */
@ApplicationScoped
public class OpenAiRoutes {
    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);

    private final RoutingTableHolder tables;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final Vertx vertx;
    private final ProxyExchange.Services services;
    private final CircuitBreakers breakers;
    private final java.util.Set<String> eventLoopStrategies;

    public OpenAiRoutes(RoutingTableHolder tables, RouterConfig config, RouterMetrics metrics, Vertx vertx,
                        UpstreamClient upstream, CircuitBreakers breakers, EndpointBalancer balancer) {
        this.tables = tables;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.breakers = breakers;
        this.eventLoopStrategies = java.util.Set.copyOf(config.eventLoopStrategies());
        this.services = new ProxyExchange.Services(vertx, upstream.client(), breakers, balancer, metrics,
                config.forwardAuthorization());
    }

    void init(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        router.post("/v1/chat/completions").handler(body)
                .handler(ctx -> completion(ctx, "/chat/completions", false)).failureHandler(this::failure);
        router.post("/v1/completions").handler(body)
                .handler(ctx -> completion(ctx, "/completions", false)).failureHandler(this::failure);
        router.post("/v1/route").handler(body).handler(ctx -> completion(ctx, routeApiPath(ctx), true))
                .failureHandler(this::failure);
        router.get("/v1/models").handler(this::models);
        router.get("/q/routing").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(RoutingInfo.toJson(tables.snapshot(), breakers).encodePrettily()));
        router.route("/v1/*").handler(this::noSuchRoute);
    }

    private void completion(RoutingContext ctx, String apiPath, boolean dryRunRoute) {
        long started = System.nanoTime();
        metrics.inFlight().incrementAndGet();
        try {
            OpenAiRequest request = OpenAiRequest.parse(ctx.body().buffer(), apiPath);
            boolean dryRun = dryRunRoute || "true".equalsIgnoreCase(ctx.request().getHeader(DecisionHeaders.DRY_RUN));
            RoutingTable table = tables.table();
            PolicyRoute policy = table.policies().get(request.model());
            if (policy != null) {
                RoutingStrategy strategy = policy.strategy();
                if (strategy.blocking() || !eventLoopStrategies.contains(strategy.type())) {
                    Query query = strategy.blocking() ? new Query(request.query().text(),
                            request.query().systemPrompt(), request.body().encode()) : request.query();
                    vertx.executeBlocking(() -> strategy.decide(query, policy), false).onComplete(ar -> {
                        if (ar.failed()) {
                            reject(ctx, routingFailed(policy, ar.cause()));
                            return;
                        }
                        try {
                            proceed(ctx, request, table, policy, ar.result(), dryRun, started);
                        } catch (RuntimeException e) {
                            // Outside the try below: without this the request would never be answered.
                            LOG.error("request failed", e);
                            reject(ctx, new OpenAiError(500, "internal router error: " + e.getClass().getSimpleName(),
                                    "server_error", null, "internal_error"));
                        }
                    });
                    return;
                }
                Decision decision;
                try {
                    decision = strategy.decide(request.query(), policy);
                } catch (RuntimeException e) {
                    reject(ctx, routingFailed(policy, e));
                    return;
                }
                proceed(ctx, request, table, policy, decision, dryRun, started);
                return;
            }
            ExpertInfo pinned = table.experts().get(request.model());
            if (pinned == null) {
                reject(ctx, new OpenAiError(404, "The model '" + request.model() + "' does not exist. Available "
                        + "models: " + String.join(", ", table.availableModels()), "invalid_request_error", "model",
                        "model_not_found"));
                return;
            }
            proceed(ctx, request, table, null, Decision.pinned(pinned), dryRun, started);
        } catch (OpenAiError.Failure f) {
            reject(ctx, f.error());
        } catch (RuntimeException e) {
            LOG.error("request failed", e);
            reject(ctx, new OpenAiError(500, "internal router error: " + e.getClass().getSimpleName(),
                    "server_error", null, "internal_error"));
        }
    }

    private void proceed(RoutingContext ctx, OpenAiRequest request, RoutingTable table, PolicyRoute policy,
                         Decision decision, boolean dryRun, long started) {
        metrics.routingDuration(System.nanoTime() - started);
        metrics.confidence(decision.policy(), decision.confidence());
        if (decision.fellBack()) {
            metrics.fallback(decision.fallbackReason());
        }
        HttpServerResponse out = ctx.response();
        if (dryRun) {
            DecisionHeaders.write(out.headers(), decision, decision.expert(), decision.fallbackReason());
            out.putHeader("content-type", "application/json")
                    .end(RoutingInfo.decisionJson(decision, request.model(), table.version()).toBuffer());
            done(decision, decision.expert(), Outcome.DRY_RUN);
            return;
        }
        if (decision.directAnswer() != null) {
            DecisionHeaders.write(out.headers(), decision, decision.strategy(), decision.fallbackReason());
            out.putHeader("content-type", "application/json")
                    .end(DirectAnswer.completion(request, decision.directAnswer()).toBuffer());
            done(decision, null, Outcome.DIRECT);
            return;
        }
        RoutePlan plan = policy != null ? RoutePlan.of(policy, decision)
                : table.pinnedPlan(table.experts().get(request.model()));
        new ProxyExchange(services, ctx, request, decision, plan).start();
    }

    private void done(Decision decision, String expert, Outcome outcome) {
        metrics.decision(decision.policy(), decision.strategy(), decision.category(), expert, outcome);
        metrics.inFlight().decrementAndGet();
    }

    private void reject(RoutingContext ctx, OpenAiError error) {
        metrics.inFlight().decrementAndGet();
        error.send(ctx.response());
    }

    private static OpenAiError routingFailed(PolicyRoute policy, Throwable e) {
        LOG.warnf("routing failed for policy %s: %s", policy.name(), e.toString());
        return new OpenAiError(500, "routing failed for policy '" + policy.name() + "': " + e.getMessage(),
                "server_error", null, "routing_failed");
    }

    /** /v1/route accepts chat or completions bodies; a body with a prompt and no messages is a completion. */
    private static String routeApiPath(RoutingContext ctx) {
        var b = ctx.body().buffer();
        if (b != null && b.length() > 0) {
            try {
                JsonObject json = b.toJsonObject();
                if (json != null && !json.containsKey("messages") && json.containsKey("prompt")) {
                    return "/completions";
                }
            } catch (RuntimeException ignored) {
                // parse() reports it
            }
        }
        return "/chat/completions";
    }

    private void models(RoutingContext ctx) {
        JsonArray data = new JsonArray();
        RoutingTable table = tables.table();
        for (String id : table.availableModels()) {
            data.add(new JsonObject().put("id", id).put("object", "model").put("created", 0)
                    .put("owned_by", table.policies().containsKey(id) ? "switchboard-policy" : "switchboard-expert"));
        }
        ctx.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }

    private void noSuchRoute(RoutingContext ctx) {
        String path = ctx.request().path();
        boolean known = path.equals("/v1/chat/completions") || path.equals("/v1/completions")
                || path.equals("/v1/route") || path.equals("/v1/models");
        OpenAiError error = known
                ? new OpenAiError(405, "method " + ctx.request().method() + " is not allowed on " + path,
                "invalid_request_error", null, "method_not_allowed")
                : new OpenAiError(404, "unknown endpoint " + ctx.request().method() + " " + path
                + "; supported: POST /v1/chat/completions, POST /v1/completions, POST /v1/route, GET /v1/models",
                "invalid_request_error", null, "unknown_url");
        error.send(ctx.response());
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        OpenAiError error;
        if (status == 413) {
            error = new OpenAiError(413, "request body exceeds " + config.maxBodyBytes()
                    + " bytes (switchboard.max-body-bytes)", "invalid_request_error", null, "request_too_large");
        } else if (status >= 400 && status < 500) {
            error = new OpenAiError(status, "bad request", "invalid_request_error", null, "bad_request");
        } else {
            if (ctx.failure() != null) {
                LOG.error("request failed", ctx.failure());
            }
            error = new OpenAiError(500, "internal router error", "server_error", null, "internal_error");
        }
        error.send(ctx.response());
    }
}
