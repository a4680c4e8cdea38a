package dev.switchboard.lab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options (repeatable) and {@code --flag} switches; unknown names are an error. */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    Args(String[] argv, int from, Set<String> valued, Set<String> flags) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }

    String get(String name, String def) {
        List<String> v = values.get(name);
        return v == null ? def : v.get(v.size() - 1);
    }

    String require(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    /** Every value of a repeatable option, comma-separated values split. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    double number(String name, double def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number (got " + v + ")");
        }
    }

    /** {@code a=1,b=2} pairs. */
    Map<String, Double> pairs(String name) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String p : list(name)) {
            int eq = p.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + name + " expects name=number pairs (got " + p + ")");
            }
            try {
                out.put(p.substring(0, eq), Double.parseDouble(p.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": " + p.substring(eq + 1) + " is not a number");
            }
        }
        return out;
    }
}
