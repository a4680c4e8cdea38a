package dev.switchboard.router.auth;

import dev.switchboard.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tenants being served, read from {@code switchboard.auth.keys-file} at start and re-read whenever it changes
 * (a mounted Secret is updated in place by the kubelet), so keys are added and revoked live. A file that cannot be
 * read or parsed keeps the previous tenants (none at start: every key is refused) and is reported, without its
 * content, in the log and on the management port's /q/tenants.
 */
@ApplicationScoped
public class TenantKeysFile {
    private static final Logger LOG = Logger.getLogger(TenantKeysFile.class);

    private final RouterConfig config;
    private final Vertx vertx;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile TenantDirectory directory = TenantDirectory.EMPTY;
    private volatile String problem;
    private volatile Instant loadedAt;
    private String fingerprint = "";
    private long timer = -1;

    public TenantKeysFile(RouterConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes @Priority(5) StartupEvent event) {
        if (config.auth().mode() != RouterConfig.Auth.Mode.API_KEYS) {
            return;
        }
        if (config.auth().keysFile().filter(f -> !f.isBlank()).isEmpty()) {
            problem = "switchboard.auth.keys-file is not set: no API key is accepted";
            LOG.warn(problem);
            return;
        }
        reload();
        timer = vertx.setPeriodic(Math.max(100, config.auth().reloadInterval().toMillis()), id -> {
            if (reading.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    reload();
                    return null;
                }, false).onComplete(ar -> reading.set(false));
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public TenantDirectory directory() {
        return directory;
    }

    /** Why the file is not (fully) served, or null. */
    public String problem() {
        return problem;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Reads the file again if its size or modification time changed (kubelet swaps a symlink: both change). */
    synchronized void reload() {
        Path file = Path.of(config.auth().keysFile().orElseThrow());
        try {
            Path real = file.toRealPath();
            String print = real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
            if (print.equals(fingerprint)) {
                return;
            }
            TenantDirectory next = TenantFile.parse(Files.readString(real, StandardCharsets.UTF_8));
            fingerprint = print;
            directory = next;
            problem = null;
            loadedAt = Instant.now();
            LOG.infof("keys file %s: %d tenants, %d keys", file, next.byName().size(), next.byKeyHash().size());
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException ? "cannot be read (" + e.getClass().getSimpleName() + ")"
                    : e.getMessage();
            String message = "keys file " + file + " not loaded, keeping " + directory.byName().size()
                    + " tenants: " + why;
            if (!message.equals(problem)) {
                LOG.error(message);
            }
            problem = message;
        }
    }
}
