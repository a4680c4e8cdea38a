package dev.switchboard.router.table;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    private byte[] loaded;

    EndpointAddressMap(Path file) {
        this.file = file;
        reloadIfChanged();
    }

    static EndpointAddressMap identity() {
        return new EndpointAddressMap(null);
    }

    /**
     * Re-reads the file when its content changed; true when the mapping changed. Compares content, not the
     * modification time: two writes within one tick of a coarse file-system clock share a time, and the second
     * would be missed until some later write.
     */
    synchronized boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        try {
            byte[] content = Files.readAllBytes(file); // not there yet: an IOException, nothing mapped
            if (Arrays.equals(content, loaded)) {
                return false;
            }
            Properties properties = new Properties();
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            Map<String, String> next = new java.util.HashMap<>();
            properties.forEach((k, v) -> next.put(k.toString(), v.toString()));
            loaded = content;
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
