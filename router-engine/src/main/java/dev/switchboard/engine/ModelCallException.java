package dev.switchboard.engine;

import java.io.IOException;

/** A {@link ModelClient} call that got no answer; the message says why, per candidate where there were several. */
public class ModelCallException extends IOException {
    public ModelCallException(String message) {
        super(message);
    }

    public ModelCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
