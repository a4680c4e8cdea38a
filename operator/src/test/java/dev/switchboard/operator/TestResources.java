package dev.switchboard.operator;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.trust.EndpointRules;
import dev.switchboard.operator.trust.IpRange;
import dev.switchboard.operator.trust.TrustPolicy;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads example resources from deploy/examples and test YAML from the classpath. */
public final class TestResources {
    private TestResources() {
    }

    public static ExpertModel example(String name) {
        return withIdentity(load(ProjectPaths.root().resolve("deploy/examples/experts/" + name + "-expert.yaml"),
                ExpertModel.class));
    }

    public static RoutingPolicy policyExample(String name) {
        return withIdentity(load(ProjectPaths.root().resolve("deploy/examples/policies/" + name + ".yaml"),
                RoutingPolicy.class));
    }

    /**
     * The trust policy of tests whose endpoints run on loopback: the chart's defaults plus the explicit allowance the
     * tests and the demo need (loopback addresses, and plain http to them for API keys).
     */
    public static TrustPolicy loopbackTrust() {
        return TrustPolicy.strict().withTolerationKeys(List.of("nvidia.com/gpu")).withEndpoints(new EndpointRules(
                List.of(), List.of(IpRange.parse("127.0.0.0/8")), List.of(), List.of("127.0.0.0/8")));
    }

    public static ExpertModel expertYaml(String yaml) {
        return withIdentity(Serialization.unmarshal(yaml, ExpertModel.class));
    }

    public static RoutingPolicy policyYaml(String yaml) {
        return withIdentity(Serialization.unmarshal(yaml, RoutingPolicy.class));
    }

    static <T> T load(Path path, Class<T> type) {
        try {
            return Serialization.unmarshal(Files.readString(path, StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the API server would have filled in, fixed so golden files are stable. */
    static <T extends HasMetadata> T withIdentity(T resource) {
        if (resource.getMetadata().getNamespace() == null) {
            resource.getMetadata().setNamespace("llm");
        }
        resource.getMetadata().setUid("00000000-0000-0000-0000-" + String.format("%012d",
                Math.abs(resource.getMetadata().getName().hashCode())));
        resource.getMetadata().setGeneration(1L);
        return resource;
    }
}
