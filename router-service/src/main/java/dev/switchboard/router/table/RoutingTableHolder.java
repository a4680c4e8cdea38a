package dev.switchboard.router.table;

import dev.switchboard.engine.table.RoutingTable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The routing table being served. Sources build a new immutable table on every change and swap it in here
 * atomically; each request reads the reference once, so in-flight requests finish on the table they started with.
 */
@ApplicationScoped
public class RoutingTableHolder {
    private static final Logger LOG = Logger.getLogger(RoutingTableHolder.class);

    /** A served table with the per-policy build errors that kept policies out of it. */
    public record Snapshot(RoutingTable table, Map<String, String> errors, String source, Instant loadedAt) {
        public Snapshot {
            errors = Map.copyOf(errors);
        }
    }

    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(RoutingTable.EMPTY, Map.of(), "none", Instant.EPOCH));
    private volatile boolean loaded;

    public RoutingTable table() {
        return current.get().table();
    }

    public Snapshot snapshot() {
        return current.get();
    }

    /** True once a source has delivered its first table (readiness). */
    public boolean loaded() {
        return loaded;
    }

    public void swap(RoutingTable table, Map<String, String> errors, String source) {
        Snapshot previous = current.getAndSet(new Snapshot(table, errors, source, Instant.now()));
        loaded = true;
        if (previous.table().version() != table.version()) {
            LOG.infof("routing table v%d from %s: policies %s, routable models %s%s", table.version(), source,
                    table.policies().keySet(), table.availableModels(),
                    errors.isEmpty() ? "" : ", errors " + errors);
        }
    }

    /** Convenience for tests and embedders that build tables themselves. */
    public void swap(RoutingTable table) {
        swap(table, Map.of(), "manual");
    }
}
