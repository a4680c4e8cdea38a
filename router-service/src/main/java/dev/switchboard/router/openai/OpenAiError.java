package dev.switchboard.router.openai;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** An error answered in the OpenAI shape: {"error":{"message","type","param","code"}}. */
public record OpenAiError(int status, String message, String type, String param, String code) {

    public static OpenAiError badRequest(String message, String param, String code) {
        return new OpenAiError(400, message, "invalid_request_error", param, code);
    }

    public static OpenAiError unavailable(String message) {
        return new OpenAiError(503, message, "service_unavailable_error", null, "experts_unavailable");
    }

    /** This router is at one of its bounds (in-flight requests, decision pools): come back shortly. */
    public static OpenAiError overloaded(String message) {
        return new OpenAiError(503, message, "service_unavailable_error", null, "overloaded");
    }

    /** A tenant's rate limit; {@code type} is "requests" or "tokens", as OpenAI names them. */
    public static OpenAiError rateLimited(String message, String type) {
        return new OpenAiError(429, message, type, null, "rate_limit_exceeded");
    }

    /** A tenant's budget for the period is spent. */
    public static OpenAiError quotaExceeded(String message) {
        return new OpenAiError(429, message, "insufficient_quota", null, "insufficient_quota");
    }

    public JsonObject toJson() {
        JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param)
                .put("code", code);
        return new JsonObject().put("error", error);
    }

    /** Sends the error unless the response has already started; a 503 says Retry-After: 1. */
    public void send(HttpServerResponse response) {
        send(response, status == 503 ? 1 : 0);
    }

    /**
     * Sends the error unless the response has already started. OpenAI SDKs retry a 429 and a 503 and honour
     * Retry-After, so clients come back when it makes sense instead of after their own back-off.
     */
    public void send(HttpServerResponse response, long retryAfterSeconds) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json");
        if (retryAfterSeconds > 0) {
            response.putHeader("retry-after", Long.toString(retryAfterSeconds));
        }
        if (status == 401) {
            response.putHeader("www-authenticate", "Bearer");
        }
        response.end(toJson().toBuffer());
    }

    /** Thrown while a request is parsed or resolved; becomes this error. */
    public static final class Failure extends RuntimeException {
        private final OpenAiError error;
        private final long retryAfterSeconds;

        public Failure(OpenAiError error) {
            this(error, error.status() == 503 ? 1 : 0);
        }

        public Failure(OpenAiError error, long retryAfterSeconds) {
            super(error.message(), null, false, false);
            this.error = error;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public OpenAiError error() {
            return error;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public void send(HttpServerResponse response) {
            error.send(response, retryAfterSeconds);
        }
    }

    public Failure asFailure() {
        return new Failure(this);
    }

    public Failure asFailure(long retryAfterSeconds) {
        return new Failure(this, retryAfterSeconds);
    }
}
