package dev.switchboard.e2e;

import dev.switchboard.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged router carries the online engine only: no offline tooling (router-lab: trainers, evaluation, plots),
 * no test harness or stand-in experts (test-support).
 */
class RouterPackageTest {
    private static final Path LIB = ProjectPaths.root().resolve("router-service/target/quarkus-app/lib/main");

    @Test
    void runtimeClasspathHoldsNoTrainingPlottingOrStandIns() throws Exception {
        List<String> jars;
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("dev.switchboard.")).toList();
        }
        assertThat(jars).anyMatch(n -> n.startsWith("dev.switchboard.switchboard-router-engine-"))
                .noneMatch(n -> n.contains("switchboard-router-lab") || n.contains("switchboard-test-support"));

        Path engine = LIB.resolve(jars.stream().filter(n -> n.startsWith("dev.switchboard.switchboard-router-engine-"))
                .findFirst().orElseThrow());
        try (ZipFile jar = new ZipFile(engine.toFile())) {
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList())
                    .isNotEmpty()
                    .noneMatch(n -> n.startsWith("dev/switchboard/lab/") || n.startsWith("dev/switchboard/testing/"))
                    .noneMatch(n -> n.matches(".*/(KMeans|LinearTrainer|RouterTrainer|SwitchboardCli)\\.class"));
        }
        // plotting needs java.desktop (AWT, ImageIO); the engine must not
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "--print-module-deps", "--ignore-missing-deps", engine.toString());
        assertThat(rc).as(out.toString()).isZero();
        assertThat(out.toString()).contains("java.base").doesNotContain("java.desktop");
    }
}
