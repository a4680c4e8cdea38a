package dev.switchboard.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each simulated pod's port really listens: "podIP:port" → "127.0.0.1:localPort". Kept in a properties
 * file that router processes read (switchboard.kubernetes.endpoint-map-file), because EndpointSlices cannot hold loopback
 * addresses and no traffic may go to the simulated pod IPs.
 */
public final class AddressMap {
    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final Path file;

    public AddressMap(Path file) {
        this.file = file;
        write();
    }

    public Path file() {
        return file;
    }

    public void put(String podIp, int port, int localPort) {
        entries.put(podIp + ":" + port, "127.0.0.1:" + localPort);
        write();
    }

    public void removeIp(String podIp) {
        entries.keySet().removeIf(k -> k.startsWith(podIp + ":"));
        write();
    }

    public Optional<String> resolve(String podIp, int port) {
        return Optional.ofNullable(entries.get(podIp + ":" + port));
    }

    private synchronized void write() {
        StringBuilder out = new StringBuilder("# podIP:port=127.0.0.1:port, written by the e2e pod agent\n");
        // ':' separates keys from values in the properties format, so the key's colon is escaped
        new TreeMap<>(entries).forEach((k, v) -> out.append(k.replace(":", "\\:")).append('=').append(v).append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
