package dev.switchboard.engine;

/**
 * A model's whole answer to a {@link ModelClient} call.
 *
 * @param expert the expert that answered
 * @param body   the response body (OpenAI JSON when it succeeded)
 */
public record ModelReply(String expert, int status, String body) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
