package dev.switchboard.operator.adapter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the operator reaches a pod's port. In a cluster that is the pod IP itself. Only for simulated clusters
 * (the e2e tests and the demo, where pods run as loopback processes): a properties file mapping {@code ip:port} to
 * a reachable {@code host:port}, the same file routers read ({@code switchboard.operator.endpoint-map-file}); an
 * address the file does not list is not reachable, so nothing is ever sent to a simulated pod IP.
 */
public final class PodAddresses {
    private final Path file;
    private volatile Map<String, String> entries = Map.of();
    private volatile long stamp = -1;

    private PodAddresses(Path file) {
        this.file = file;
    }

    public static PodAddresses direct() {
        return new PodAddresses(null);
    }

    public static PodAddresses mappedBy(Path file) {
        return new PodAddresses(file);
    }

    /** host:port to call for {@code podIp:port}, or empty when a map file is set and does not list it. */
    public Optional<String> resolve(String podIp, int port) {
        String key = (podIp.contains(":") ? "[" + podIp + "]" : podIp) + ":" + port;
        if (file == null) {
            return Optional.of(key);
        }
        reload();
        return Optional.ofNullable(entries.get(podIp + ":" + port));
    }

    private synchronized void reload() {
        try {
            long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) : 0;
            if (modified == stamp) {
                return;
            }
            Properties p = new Properties();
            if (modified != 0) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            Map<String, String> next = new java.util.HashMap<>();
            p.forEach((k, v) -> next.put(k.toString(), v.toString()));
            entries = Map.copyOf(next);
            stamp = modified;
        } catch (IOException e) {
            // keep the last good map: the agent rewrites the file atomically, so this is a passing fault
        }
    }
}
