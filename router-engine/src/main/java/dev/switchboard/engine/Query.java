package dev.switchboard.engine;

/**
 * What a strategy sees of a request: the last user message and, optionally, the system prompt.
 * {@code body} is the whole request (OpenAI JSON) for strategies such as metaLLM that forward it.
 */
public record Query(String text, String systemPrompt, String body) {
    public Query(String text) {
        this(text, null, null);
    }

    /** The text that is embedded or classified. */
    public String routableText(boolean includeSystemPrompt) {
        if (includeSystemPrompt && systemPrompt != null && !systemPrompt.isBlank()) {
            return systemPrompt + "\n" + text;
        }
        return text;
    }
}
