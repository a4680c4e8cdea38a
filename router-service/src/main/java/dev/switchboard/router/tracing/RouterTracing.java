package dev.switchboard.router.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The router's spans: one per client request ({@link RequestSpan}, a SERVER span continuing the client's
 * {@code traceparent}) and one per upstream attempt ({@link AttemptSpan}, a CLIENT span whose context goes to the
 * expert as {@code traceparent}), named and attributed after the OpenTelemetry GenAI semantic conventions.
 * Quarkus' OpenTelemetry is off unless configured ({@code quarkus.otel.sdk.disabled=true}); then its
 * {@link OpenTelemetry} is a no-op: spans are not recorded and no header is sent.
 */
@ApplicationScoped
public class RouterTracing {
    static final String SCOPE = "dev.switchboard.router";

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public RouterTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The span of a client request arriving at {@code path}; its parent is the client's trace context, if any. */
    public RequestSpan request(HttpServerRequest request) {
        Context parent = propagator.extract(Context.root(), request.headers(), HEADERS);
        String path = request.path();
        String operation = GenAi.operation(apiPath(path));
        Span span = tracer.spanBuilder(operation).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.method().name()).setAttribute("url.path", path)
                .setAttribute(GenAi.OPERATION_NAME, operation).startSpan();
        return new RequestSpan(span, parent.with(span), operation);
    }

    /**
     * The span of one upstream attempt under {@code parent} (a request's context; root for calls of no client
     * request), its context written into {@code options} as {@code traceparent}.
     */
    public AttemptSpan attempt(Context parent, String apiPath, String expert, String upstreamModel, String host,
                               int port, int attempt, RequestOptions options) {
        String operation = GenAi.operation(apiPath);
        Span span = tracer.spanBuilder(operation + " " + upstreamModel).setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAi.OPERATION_NAME, operation)
                .setAttribute(GenAi.REQUEST_MODEL, upstreamModel)
                .setAttribute("server.address", host).setAttribute("server.port", (long) port)
                .setAttribute("http.request.method", "POST")
                .setAttribute(GenAi.EXPERT, expert).setAttribute("switchboard.attempt", (long) attempt).startSpan();
        propagator.inject(parent.with(span), options, (o, key, value) -> o.putHeader(key, value));
        return new AttemptSpan(span);
    }

    /** The OpenAI path after /v1 of a client's path. */
    private static String apiPath(String path) {
        return path.startsWith("/v1") ? path.substring(3) : path;
    }

    private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}
