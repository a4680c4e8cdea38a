package dev.switchboard.router.proxy;

import io.opentelemetry.context.Context;
import io.vertx.core.json.JsonObject;

/**
 * What the proxy sends to each candidate: an OpenAI request whose {@code model} it rewrites per expert.
 *
 * @param apiPath       the OpenAI path after /v1, e.g. /chat/completions
 * @param accept        the Accept header to pass on, or null
 * @param authorization an Authorization header for experts without an API key of their own, or null
 * @param stream        the answer streams: its head comes before the first token (timeouts.firstByte applies)
 * @param session       the request's session key ({@code picking.SessionKeys}), or null
 * @param trace         the trace context each attempt's span is a child of (root: none)
 */
public record UpstreamRequest(String apiPath, JsonObject body, String accept, String authorization,
                              boolean stream, String session, Context trace) {
    /** A request without a session, outside any traced request (a strategy's own model call). */
    public UpstreamRequest(String apiPath, JsonObject body, String accept, String authorization, boolean stream) {
        this(apiPath, body, accept, authorization, stream, null, Context.root());
    }
}
