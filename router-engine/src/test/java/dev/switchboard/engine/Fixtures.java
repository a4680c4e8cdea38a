package dev.switchboard.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.table.ArtifactSource;
import dev.switchboard.engine.table.BuildResult;
import dev.switchboard.engine.table.ExpertEndpoints;
import dev.switchboard.engine.table.RoutingTableBuilder;
import dev.switchboard.engine.table.SecretResolver;
import dev.switchboard.engine.table.StrategyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Builds API objects from YAML and routing tables from them, for tests. */
public final class Fixtures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    public static final Encoder HASHING = new HashingEncoder();

    private Fixtures() {
    }

    public static ExpertModel expert(String yaml) {
        return read(yaml, ExpertModel.class);
    }

    public static RoutingPolicy policy(String yaml) {
        return read(yaml, RoutingPolicy.class);
    }

    public static <T> T read(String yaml, Class<T> type) {
        try {
            return YAML.readValue(yaml, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return read(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's deploy/examples directory (tests run in the module directory). */
    public static Path examples() {
        Path p = Path.of("..", "deploy", "examples").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("deploy/examples not found at " + p);
        }
        return p;
    }

    /** The ExpertModels of deploy/examples/experts (kustomization.yaml lists them; it is not one). */
    public static List<ExpertModel> exampleExperts() {
        try (Stream<Path> files = Files.list(examples().resolve("experts"))) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted()
                    .map(f -> read(f, ExpertModel.class)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The route of one deploy/examples policy over the example experts, every expert ready and the hosted one's
     * API-key Secret present, as a router builds it; fails on any build error.
     */
    public static PolicyRoute exampleRoute(String policyFile, ArtifactSource artifacts) {
        return exampleRoute(policyFile, artifacts, new String[0]);
    }

    /** As {@link #exampleRoute(String, ArtifactSource)}, with the experts in {@code down} not ready. */
    public static PolicyRoute exampleRoute(String policyFile, ArtifactSource artifacts, String... down) {
        return exampleRoute(examplePolicy(policyFile), artifacts, down);
    }

    /** As {@link #exampleRoute(String, ArtifactSource, String...)} for a (possibly modified) example policy. */
    public static PolicyRoute exampleRoute(RoutingPolicy policy, ArtifactSource artifacts, String... down) {
        BuildResult result = RoutingTableBuilder.build(1, exampleExperts(), List.of(policy), allReadyExcept(down),
                secrets(Map.of("frontier-api-key/api-key", "sk-test")), artifacts, StrategyRegistry.standard());
        if (!result.errors().isEmpty()) {
            throw new IllegalStateException(policy.getMetadata().getName() + ": " + result.errors());
        }
        return result.table().policy(policy.modelName()).orElseThrow();
    }

    /** One deploy/examples/policies file. */
    public static RoutingPolicy examplePolicy(String policyFile) {
        return read(examples().resolve("policies").resolve(policyFile), RoutingPolicy.class);
    }

    /** Every expert is ready on one loopback endpoint except those in {@code down}. */
    public static ExpertEndpoints allReadyExcept(String... down) {
        Set<String> d = Set.of(down);
        return e -> d.contains(e.getMetadata().getName()) ? List.of()
                : List.of(new Endpoint("http://127.0.0.1:9/" + e.getMetadata().getName() + "/v1"));
    }

    public static SecretResolver secrets(Map<String, String> byNameAndKey) {
        return (ns, ref) -> Optional.ofNullable(byNameAndKey.get(ref.name + "/" + ref.key));
    }

    /** Builds with the hashing encoder for every policy. */
    public static BuildResult build(Collection<ExpertModel> experts, Collection<RoutingPolicy> policies,
                                    ExpertEndpoints endpoints) {
        return RoutingTableBuilder.build(1, experts, policies, endpoints, SecretResolver.NONE, ArtifactSource.NONE,
                StrategyRegistry.standard(), (ns, spec, secrets) -> HASHING);
    }
}
