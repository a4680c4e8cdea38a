package dev.switchboard.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A missing prerequisite stops the README's commands at once with one line naming it and what to do, before
 * anything is built or started. Each case runs the real script with a PATH made of this machine's commands minus
 * the missing one (or with a stand-in that reports an old version or a full disk).
 */
class ReadmeCommandsPrerequisitesTest {
    @TempDir
    static Path tmp;
    private static Path realPath;

    @BeforeAll
    static void linkCommands() throws IOException {
        realPath = Files.createDirectories(tmp.resolve("all"));
        for (String dir : System.getenv("PATH").split(":")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path link = realPath.resolve(f.getFileName());
                    if (Files.isExecutable(f) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, f);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hack/demo.sh --standalone", "hack/demo.sh", "hack/test.sh"})
    void noJava(String command) throws IOException {
        assertOneLineError(run(command, without("java")), "error: java not found: install a JDK 17 or newer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hack/demo.sh", "hack/test.sh"})
    void noMaven(String command) throws IOException {
        assertOneLineError(run(command, without("mvn")), "error: mvn not found: install Maven 3.8 or newer");
    }

    @Test
    void javaTooOld() throws IOException {
        Path bin = without("java");
        script(bin, "java", "echo 'openjdk version \"11.0.22\" 2024-01-16' >&2");
        assertOneLineError(run("hack/test.sh", bin), "error: java 11.0.22 is too old: JDK 17 or newer is needed");
    }

    @Test
    void noDiskSpace() throws IOException {
        Path bin = without("df");
        script(bin, "df", "echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'; "
                + "echo '/dev/x 100000000 99000000 1000 100% /'");
        assertOneLineError(run("hack/demo.sh", bin), "error: only 0 GiB free under");
    }

    @Test
    void standaloneDemoPortInUse() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = env(realPath);
            env.put("SWITCHBOARD_DEMO_PORT", Integer.toString(busy.getLocalPort()));
            assertOneLineError(Command.of("bash", "hack/demo.sh", "--standalone").withEnv(env).run(),
                    "error: port " + busy.getLocalPort() + " on 127.0.0.1 is in use");
        }
    }

    @Test
    void noGoWhenTheKubernetesBinariesMustBeBuilt() throws IOException {
        Map<String, String> env = env(without("go"));
        env.put("SWITCHBOARD_CACHE", Files.createDirectories(tmp.resolve("empty-cache")).toString());
        env.put("SWITCHBOARD_K8S_DOWNLOAD", "0");
        env.put("KUBEBUILDER_ASSETS", null);
        assertOneLineError(Command.of("bash", "hack/k8s-binaries.sh", "etcd").withEnv(env).run(),
                "error: go not found: Go 1.22 or newer is needed once");
    }

    private static Command.Result run(String command, Path bin) {
        String[] words = command.split(" ");
        Object[] argv = new Object[words.length + 1];
        argv[0] = "bash";
        System.arraycopy(words, 0, argv, 1, words.length);
        return Command.of(argv).withEnv(env(bin)).run();
    }

    private static Map<String, String> env(Path bin) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("JAVA_HOME", null); // only PATH decides which java the scripts find
        return env;
    }

    /** A bin directory with every command of this machine but the given ones. */
    private static Path without(String... missing) throws IOException {
        Path bin = Files.createTempDirectory(tmp, "bin");
        Set<String> skip = Set.of(missing);
        try (Stream<Path> links = Files.list(realPath)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                if (!skip.contains(link.getFileName().toString())) {
                    Files.createSymbolicLink(bin.resolve(link.getFileName()), Files.readSymbolicLink(link));
                }
            }
        }
        return bin;
    }

    private static void script(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.deleteIfExists(file);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void assertOneLineError(Command.Result result, String expected) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.stderr().strip()).as("stderr").startsWith(expected).doesNotContain("\n");
        assertThat(result.stdout()).as("stdout: nothing was started").doesNotContain("Building", "Starting");
    }
}
