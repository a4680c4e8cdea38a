package dev.switchboard.router;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Standalone mode over a temporary directory of manifests, polled quickly. */
public class StandaloneModeProfile implements QuarkusTestProfile {
    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("switchboard-standalone-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("switchboard.mode", "standalone",
                "switchboard.standalone.config-dir", DIR.toString(),
                "switchboard.standalone.poll-interval", "100ms");
    }
}
