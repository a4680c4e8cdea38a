package dev.switchboard.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The package graph of freshly compiled classes: a cycle through three packages is found, a layering is not. */
class PackageGraphTest {
    @TempDir
    Path dir;

    @Test
    void findsACycleThroughSeveralPackagesAndNamesItsEdges() throws Exception {
        Path classes = compile(Map.of(
                "p.a.A", "package p.a; public class A { p.b.B b; }",
                "p.b.B", "package p.b; public class B { p.c.C c; }",
                "p.c.C", "package p.c; public class C { p.a.A a; }",
                "p.d.D", "package p.d; public class D { p.a.A a; String s; }"));
        PackageGraph graph = PackageGraph.of(classes, "p.");
        assertThat(graph.uses()).containsEntry("p.a", Set.of("p.b")).containsEntry("p.d", Set.of("p.a"));
        assertThat(graph.cycles()).containsExactly(List.of("p.a", "p.b", "p.c"));
        assertThat(graph.describeCycles()).contains("cycle [p.a, p.b, p.c]").contains("p.c -> [p.a]");
    }

    @Test
    void aLayeringHasNoCycle() throws Exception {
        Path classes = compile(Map.of(
                "p.A", "package p; public class A { }",
                "p.b.B", "package p.b; public class B { p.A a; }",
                "p.c.C", "package p.c; public class C { p.A a; p.b.B b; }"));
        PackageGraph graph = PackageGraph.of(classes, "p");
        assertThat(graph.uses()).containsEntry("p.c", Set.of("p", "p.b"));
        assertThat(graph.cycles()).isEmpty();
        assertThat(graph.describeCycles()).isEqualTo("none");
    }

    private Path compile(Map<String, String> sources) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();
        return out;
    }
}
