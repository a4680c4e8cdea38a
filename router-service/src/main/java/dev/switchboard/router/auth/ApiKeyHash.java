package dev.switchboard.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** API keys are kept only as the hex SHA-256 of their UTF-8 bytes; this is the one place that computes it. */
public final class ApiKeyHash {
    public static final String PREFIX = "sha256:";

    private ApiKeyHash() {
    }

    public static String of(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
