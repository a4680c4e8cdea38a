package dev.switchboard.router.table;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Translates EndpointSlice addresses ("ip:port") to where they really listen, from a properties file
 * ({@code switchboard.kubernetes.endpoint-map-file}). Only the simulated cluster uses it: its pods have addresses
 * nothing listens on, and their processes run on loopback. Without a file every address maps to itself.
 * With a file, an address it does not list is not reachable yet and is left out.
 */
final class EndpointAddressMap {
    private final Path file;
    private volatile Map<String, String> entries = Map.of();
    private volatile FileTime loaded;

    EndpointAddressMap(Path file) {
        this.file = file;
        reloadIfChanged();
    }

    static EndpointAddressMap identity() {
        return new EndpointAddressMap(null);
    }

    /** Re-reads the file when its modification time changed; true when the mapping changed. */
    synchronized boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        try {
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (modified == null || modified.equals(loaded)) {
                return false;
            }
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            Map<String, String> next = new java.util.HashMap<>();
            properties.forEach((k, v) -> next.put(k.toString(), v.toString()));
            loaded = modified;
            boolean changed = !next.equals(entries);
            entries = Map.copyOf(next);
            return changed;
        } catch (IOException e) {
            return false;
        }
    }

    /** host:port to connect to, or empty when the address is not reachable. */
    Optional<String> resolve(String host, int port) {
        if (file == null) {
            return Optional.of(host + ":" + port);
        }
        return Optional.ofNullable(entries.get(host + ":" + port));
    }
}
