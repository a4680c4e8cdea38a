package dev.switchboard.router.tracing;

/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions the router's spans use, and its own
 * {@code switchboard.*} attributes for the routing decision.
 */
final class GenAi {
    static final String OPERATION_NAME = "gen_ai.operation.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String EXPERT = "switchboard.expert";

    private GenAi() {
    }

    /**
     * gen_ai.operation.name of an OpenAI path: {@code chat} (chat completions, and the Responses API, which
     * answers a conversation), {@code text_completion}, {@code embeddings}; else the path (e.g. /route).
     */
    static String operation(String apiPath) {
        return switch (apiPath) {
            case "/chat/completions", "/responses" -> "chat";
            case "/completions" -> "text_completion";
            case "/embeddings" -> "embeddings";
            default -> "switchboard" + apiPath.replace('/', '.');
        };
    }
}
