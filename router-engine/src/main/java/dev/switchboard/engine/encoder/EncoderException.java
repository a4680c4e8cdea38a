package dev.switchboard.engine.encoder;

/** An encoder could not embed a text, e.g. a remote embeddings endpoint failed. */
public class EncoderException extends RuntimeException {
    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
