package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.router.config.RouterConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Standalone mode: the routing table is built from YAML manifests in a directory (or the built-in demo config),
 * polled for changes every {@code switchboard.standalone.poll-interval}. Experts must be {@code spec.external}:
 * their URL is their one endpoint. A broken file keeps the last good table and is reported on /q/routing.
 */
@ApplicationScoped
public class StandaloneTableSource {
    private static final Logger LOG = Logger.getLogger(StandaloneTableSource.class);
    /** The built-in demo configuration served when no config dir is given. */
    public static final String DEMO_RESOURCE = "demo/switchboard-demo.yaml";

    private final RouterConfig config;
    private final RoutingTableHolder tables;
    private final Vertx vertx;
    private final StrategyRegistry strategies;
    private final AtomicLong version = new AtomicLong();
    private final AtomicBoolean reloading = new AtomicBoolean();
    private volatile String fingerprint = "";
    private volatile String pendingPrint = "";
    private long timer = -1;

    public StandaloneTableSource(RouterConfig config, RoutingTableHolder tables, Vertx vertx,
                                 StrategyRegistry strategies) {
        this.config = config;
        this.tables = tables;
        this.vertx = vertx;
        this.strategies = strategies;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (config.mode() != RouterConfig.Mode.standalone) {
            return;
        }
        reload();
        if (config.standalone().configDir().isPresent()) {
            timer = vertx.setPeriodic(config.standalone().pollInterval().toMillis(), id -> {
                if (reloading.compareAndSet(false, true)) {
                    vertx.executeBlocking(() -> {
                        reload();
                        return null;
                    }, false).onComplete(ar -> reloading.set(false));
                }
            });
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Rebuilds the table if the files changed since the last build. */
    synchronized void reload() {
        String source = config.standalone().configDir().map(d -> "dir " + d).orElse("built-in demo");
        ManifestSet manifests = ManifestSet.empty();
        try {
            String print = readManifests(manifests);
            if (print.equals(fingerprint)) {
                return;
            }
            fingerprint = print;
        } catch (RuntimeException | IOException e) {
            fingerprint = pendingPrint; // report a broken file once, not on every poll
            LOG.errorf("standalone config (%s) not loaded, keeping table v%d: %s", source, tables.table().version(),
                    e.getMessage());
            tables.swap(tables.table(), Map.of("config", e.getMessage()), source);
            return;
        }
        Map<String, String> problems = new TreeMap<>();
        BuildResult result = RoutingTableBuilder.build(version.incrementAndGet(), manifests.experts(),
                manifests.policies(), expert -> endpoints(expert, problems), secrets(manifests.secrets()),
                artifacts(manifests.configMaps()), strategies);
        TableWarmup.warm(result.table());
        Map<String, String> errors = new TreeMap<>(result.errors());
        result.expertProblems().forEach((k, v) -> errors.put("expert " + k, v));
        result.shadowProblems().forEach((k, v) -> errors.put("shadow of " + k, v));
        problems.forEach((k, v) -> errors.put("expert " + k, v));
        errors.forEach((k, v) -> LOG.warnf("%s: %s", k, v));
        tables.swap(result.table(), errors, source);
    }

    /** Reads all manifests and returns a fingerprint (names, sizes, mtimes) to detect changes cheaply next time. */
    private String readManifests(ManifestSet manifests) throws IOException {
        Optional<String> dir = config.standalone().configDir();
        if (dir.isEmpty()) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
                if (in == null) {
                    throw new IOException("built-in demo config " + DEMO_RESOURCE + " missing from the classpath");
                }
                manifests.addYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEMO_RESOURCE);
            }
            return "demo";
        }
        Path root = Path.of(dir.get());
        if (!Files.isDirectory(root)) {
            throw new IOException("switchboard.standalone.config-dir " + root + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith(".");
            }).sorted().toList();
        }
        StringBuilder print = new StringBuilder();
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            print.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                    .append(Files.getLastModifiedTime(file).toMillis()).append(';');
            texts.add(Files.readString(file, StandardCharsets.UTF_8));
        }
        if (print.toString().equals(fingerprint)) {
            return fingerprint;
        }
        pendingPrint = print.toString();
        for (int i = 0; i < files.size(); i++) {
            manifests.addYaml(texts.get(i), files.get(i).getFileName().toString());
        }
        return print.toString();
    }

    /** External experts are served at their URL; deployed ones need a cluster. */
    private static List<Endpoint> endpoints(ExpertModel expert, Map<String, String> problems) {
        if (expert.isExternal() && expert.getSpec().external.url != null) {
            return List.of(new Endpoint(expert.getSpec().external.url));
        }
        problems.put(expert.getMetadata().getName(), "standalone mode routes only to spec.external experts; "
                + "spec.model experts need Kubernetes mode");
        return List.of();
    }

    private static SecretResolver secrets(List<Secret> secrets) {
        return (namespace, ref) -> secrets.stream()
                .filter(s -> ref.name.equals(s.getMetadata().getName()))
                .filter(s -> namespaceOf(s.getMetadata().getNamespace()).equals(namespace))
                .map(s -> secretValue(s, ref.key)).flatMap(Optional::stream).findFirst();
    }

    static Optional<String> secretValue(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return Optional.of(secret.getStringData().get(key));
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return Optional.of(new String(Base64.getMimeDecoder().decode(secret.getData().get(key)),
                    StandardCharsets.UTF_8).strip());
        }
        return Optional.empty();
    }

    private static ArtifactSource artifacts(List<ConfigMap> configMaps) {
        return (namespace, name, key) -> configMaps.stream()
                .filter(c -> name.equals(c.getMetadata().getName()))
                .filter(c -> namespaceOf(c.getMetadata().getNamespace()).equals(namespace))
                .map(c -> c.getData() == null ? null : c.getData().get(key))
                .filter(java.util.Objects::nonNull).findFirst();
    }

    private static String namespaceOf(String ns) {
        return ns == null ? "default" : ns;
    }
}
