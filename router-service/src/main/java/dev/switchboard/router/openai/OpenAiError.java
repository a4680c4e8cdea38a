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

    public JsonObject toJson() {
        JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param)
                .put("code", code);
        return new JsonObject().put("error", error);
    }

    /** Sends the error unless the response has already started. */
    public void send(HttpServerResponse response) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json");
        if (status == 503) {
            // transient by nature (endpoints turning ready, breakers half-opening): OpenAI SDKs retry a 503 and
            // honour Retry-After, so clients come back in a second instead of after their own back-off
            response.putHeader("retry-after", "1");
        }
        response.end(toJson().toBuffer());
    }

    /** Thrown while a request is parsed or resolved; becomes this error. */
    public static final class Failure extends RuntimeException {
        private final OpenAiError error;

        public Failure(OpenAiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public OpenAiError error() {
            return error;
        }
    }

    public Failure asFailure() {
        return new Failure(this);
    }
}
