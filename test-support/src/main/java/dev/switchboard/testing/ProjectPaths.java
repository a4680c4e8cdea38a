package dev.switchboard.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root from a module's working directory. */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("switchboard.projectRoot");
        if (configured != null && Files.isDirectory(Path.of(configured, "hack"))) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("hack")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the Switchboard project root from " + Path.of("").toAbsolutePath());
    }
}
