package dev.switchboard.router.picking;

import dev.switchboard.engine.EndpointPicking;
import io.vertx.core.json.JsonObject;

/** The session key of a request: the policy's session header, else (when enabled) the OpenAI {@code user} field. */
public final class SessionKeys {
    /** Longer keys are hashed, so a client cannot make the session tables hold large strings. */
    static final int MAX_KEY_CHARS = 128;

    private SessionKeys() {
    }

    /**
     * @param scope       what the session belongs to (the policy), so equal keys of two policies stay apart
     * @param headerValue the value of the policy's session header, or null
     * @return the scoped key, or null when the request has none
     */
    public static String of(String scope, String headerValue, JsonObject body, EndpointPicking picking) {
        String raw = headerValue != null && !headerValue.isBlank() ? headerValue.strip() : null;
        if (raw == null && picking.sessionUser() && body != null && body.getValue("user") instanceof String user
                && !user.isBlank()) {
            raw = user.strip();
        }
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_KEY_CHARS) {
            raw = "#" + Long.toHexString(Hashing.mix(Hashing.fnv(raw, 0, raw.length())));
        }
        return scope + '\u0000' + raw;
    }

    /** A 64-bit hash of a session key, for rendezvous hashing. */
    static long hash(String session) {
        return Hashing.mix(Hashing.fnv(session, 0, session.length()) ^ 0x3C6EF372FE94F82BL);
    }
}
