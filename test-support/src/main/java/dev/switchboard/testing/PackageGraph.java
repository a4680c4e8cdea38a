package dev.switchboard.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Which package of a module's compiled classes uses which, as the JDK's jdeps reports it, and the cycles among them.
 * Tests assert {@code cycles()} is empty so that a package cycle, once removed, cannot come back unnoticed.
 */
public final class PackageGraph {
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    private final Map<String, Set<String>> uses;

    private PackageGraph(Map<String, Set<String>> uses) {
        this.uses = uses;
    }

    /** The graph of the classes compiled into the directory (or jar) that holds {@code member}. */
    public static PackageGraph ofClassesOf(Class<?> member, String packagePrefix) {
        try {
            return of(Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI()), packagePrefix);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dependencies between the packages of {@code classes} whose names start with {@code packagePrefix}. */
    public static PackageGraph of(Path classes, String packagePrefix) {
        if (!Files.exists(classes)) {
            throw new IllegalArgumentException(classes + " does not exist");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps tool"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classes.toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err + out);
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line + " ");
            if (m.find() && m.group(1).startsWith(packagePrefix)) {
                Set<String> targets = uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (m.group(2).startsWith(packagePrefix) && !m.group(2).equals(m.group(1))) {
                    targets.add(m.group(2));
                }
            }
        }
        return new PackageGraph(uses);
    }

    /** Package to the other packages (under the prefix) it uses. */
    public Map<String, Set<String>> uses() {
        return uses;
    }

    /**
     * Every set of packages that depend on each other in a circle (the strongly connected components of more than
     * one package), each sorted, in name order; empty for an acyclic graph.
     */
    public List<List<String>> cycles() {
        Tarjan t = new Tarjan();
        for (String p : uses.keySet()) {
            if (!t.index.containsKey(p)) {
                t.visit(p);
            }
        }
        t.components.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return t.components;
    }

    /** The cycles with, for each package in one, the packages of the same cycle it uses; "none" when acyclic. */
    public String describeCycles() {
        List<List<String>> cycles = cycles();
        if (cycles.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (List<String> cycle : cycles) {
            s.append("cycle ").append(cycle).append(':');
            for (String p : cycle) {
                Set<String> within = new TreeSet<>(uses.getOrDefault(p, Set.of()));
                within.retainAll(cycle);
                s.append("\n  ").append(p).append(" -> ").append(within);
            }
            s.append('\n');
        }
        return s.toString();
    }

    private final class Tarjan {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new java.util.HashSet<>();
        final List<List<String>> components = new ArrayList<>();

        void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : uses.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    component.sort(null);
                    components.add(component);
                }
            }
        }
    }
}
