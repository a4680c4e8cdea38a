package dev.switchboard.router.http;

import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.openai.OpenAiError;
import dev.switchboard.router.openai.OpenAiRequest;
import dev.switchboard.router.auth.ClientAuthenticator;
import dev.switchboard.router.auth.Tenant;
import dev.switchboard.router.health.FatalErrors;
import dev.switchboard.router.table.RoutingTableHolder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The OpenAI-compatible API on Vert.x routes (event loop, no blocking): completions and dry runs go to
 * {@link CompletionHandler}; model listing, the routing table view and OpenAI-shaped errors are answered here.
 */
@ApplicationScoped
public class OpenAiRoutes {
    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);

    private final RoutingTableHolder tables;
    private final RouterConfig config;
    private final CompletionHandler completions;
    private final RequestGate gate;
    private final ClientAuthenticator auth;

    public OpenAiRoutes(RoutingTableHolder tables, RouterConfig config, CompletionHandler completions,
                        RequestGate gate, ClientAuthenticator auth) {
        this.tables = tables;
        this.config = config;
        this.completions = completions;
        this.gate = gate;
        this.auth = auth;
    }

    /** The client port serves /v1 only; /q/metrics, /q/health and /q/routing are on the management port. */
    void init(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        // Vert.x-web runs platform handlers before the body handler: the gate refuses before any body is read.
        PlatformHandler gate = this.gate::handle;
        router.post("/v1/chat/completions").handler(gate).handler(body)
                .handler(ctx -> completions.handle(ctx, "/chat/completions", false)).failureHandler(this::failure);
        router.post("/v1/completions").handler(gate).handler(body)
                .handler(ctx -> completions.handle(ctx, "/completions", false)).failureHandler(this::failure);
        router.post("/v1/responses").handler(gate).handler(body)
                .handler(ctx -> completions.handle(ctx, OpenAiRequest.RESPONSES, false)).failureHandler(this::failure);
        router.post("/v1/embeddings").handler(gate).handler(body)
                .handler(ctx -> completions.handle(ctx, OpenAiRequest.EMBEDDINGS, false)).failureHandler(this::failure);
        router.post("/v1/route").handler(gate).handler(body)
                .handler(ctx -> completions.handle(ctx, routeApiPath(ctx), true)).failureHandler(this::failure);
        router.get("/v1/models").handler(this::models);
        router.route("/v1/*").handler(this::noSuchRoute);
    }

    /**
     * /v1/route accepts chat, completions or Responses API bodies: a body with a prompt and no messages is a
     * completion, one with an input and neither is a response.
     */
    private static String routeApiPath(RoutingContext ctx) {
        var b = ctx.body().buffer();
        if (b != null && b.length() > 0) {
            try {
                JsonObject json = b.toJsonObject();
                if (json != null && !json.containsKey("messages") && json.containsKey("prompt")) {
                    return OpenAiRequest.COMPLETIONS;
                }
                if (json != null && !json.containsKey("messages") && json.containsKey("input")) {
                    return OpenAiRequest.RESPONSES;
                }
            } catch (RuntimeException ignored) {
                // parse() reports it
            }
        }
        return "/chat/completions";
    }

    private void models(RoutingContext ctx) {
        Tenant tenant;
        try {
            tenant = auth.authenticate(ctx.request());
        } catch (OpenAiError.Failure f) {
            f.send(ctx.response());
            return;
        }
        JsonArray data = new JsonArray();
        RoutingTable table = tables.table();
        for (String id : table.availableModels().stream().filter(tenant::allows).toList()) {
            data.add(new JsonObject().put("id", id).put("object", "model").put("created", 0)
                    .put("owned_by", table.policies().containsKey(id) ? "switchboard-policy" : "switchboard-expert"));
        }
        ctx.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }

    private void noSuchRoute(RoutingContext ctx) {
        String path = ctx.request().path();
        boolean known = path.equals("/v1/chat/completions") || path.equals("/v1/completions")
                || path.equals("/v1/responses") || path.equals("/v1/embeddings") || path.equals("/v1/route")
                || path.equals("/v1/models");
        OpenAiError error = known
                ? new OpenAiError(405, "method " + ctx.request().method() + " is not allowed on " + path,
                "invalid_request_error", null, "method_not_allowed")
                : new OpenAiError(404, "unknown endpoint " + ctx.request().method() + " " + path
                + "; supported: POST /v1/chat/completions, POST /v1/completions, POST /v1/responses, "
                + "POST /v1/embeddings, POST /v1/route, GET /v1/models",
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
                FatalErrors.record(ctx.failure());
                if (ctx.response().closed() || ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
                    LOG.debugf("request failed after its connection closed: %s", ctx.failure());
                    return; // e.g. a body cut off by switchboard.overload.body-read-timeout: nobody to answer
                }
                LOG.error("request failed", ctx.failure());
            }
            error = new OpenAiError(500, "internal router error", "server_error", null, "internal_error");
        }
        error.send(ctx.response());
    }
}
