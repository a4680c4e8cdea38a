package dev.switchboard.operator;

import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden-file comparison of rendered objects. Run with -Dgolden.update=true to rewrite the files after an
 * intended change, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(String name, List<?> objects) {
        String actual = objects.stream().map(Serialization::asYaml).collect(Collectors.joining());
        Path file = ProjectPaths.root().resolve("operator/src/test/resources/golden/" + name + ".yaml");
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                if (!Boolean.getBoolean("golden.update")) {
                    throw new AssertionError("golden file " + file + " did not exist: written; review and commit it");
                }
                return;
            }
            assertThat(actual).as("rendering differs from golden file %s (rerun with -Dgolden.update=true "
                    + "if intended)", file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
