package dev.switchboard.e2e;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.ProjectPaths;
import dev.switchboard.testing.StandInExpert;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Applies deploy/examples as a platform team would: the experts and the category policy, plus what the examples
 * expect to exist (the HF token and API-key Secrets and their grant to Switchboard, the weights PVC, volumes for the
 * PVC binder). The hosted
 * "frontier" expert is pointed at a local stand-in, since nothing may leave this machine.
 */
public final class DemoComposition implements AutoCloseable {
    public static final String NAMESPACE = "demo";
    public static final List<String> DEPLOYED_EXPERTS = List.of("math", "code", "medical", "legal", "generalist");

    private final KubernetesClient client;
    private final StandInExpert frontier;

    public DemoComposition(KubernetesClient client) {
        this.client = client;
        this.frontier = new StandInExpert("frontier", "127.0.0.1", FreePort.pick()).start();
    }

    public DemoComposition applyPrerequisites() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
        for (var secret : Map.of("hf-token", "token", "frontier-api-key", "api-key").entrySet()) {
            client.resource(new SecretBuilder().withNewMetadata().withName(secret.getKey()).withNamespace(NAMESPACE)
                    .endMetadata().withStringData(Map.of(secret.getValue(), "demo-" + secret.getKey())).build())
                    .serverSideApply();
        }
        for (int i = 0; i < 4; i++) { // statically provisioned volumes for the weights claims
            client.resource(new PersistentVolumeBuilder().withNewMetadata().withName("demo-weights-" + i).endMetadata()
                    .withNewSpec().withCapacity(Map.of("storage", new Quantity("200Gi")))
                    .withAccessModes("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany")
                    .withNewHostPath().withPath("/var/lib/weights-" + i).endHostPath().endSpec().build())
                    .serverSideApply();
        }
        // Their owner (here: the demo) grants the two Secrets to Switchboard, as deploy/examples does.
        try (InputStream in = Files.newInputStream(ProjectPaths.root().resolve("deploy/examples/secret-grants.yaml"))) {
            for (HasMetadata grant : client.load(in).items()) {
                grant.getMetadata().setNamespace(NAMESPACE);
                client.resource(grant).forceConflicts().serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("model-weights")
                .withNamespace(NAMESPACE).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName("").withNewResources().withRequests(Map.of("storage", new Quantity("100Gi")))
                .endResources().endSpec().build()).serverSideApply();
        return this;
    }

    public DemoComposition applyExperts() {
        for (Path file : yamlFiles("deploy/examples/experts")) {
            ExpertModel expert = load(file, ExpertModel.class);
            if (expert.isExternal()) {
                expert.getSpec().external.url = frontier.baseUrl();
            }
            expert.getMetadata().setNamespace(NAMESPACE);
            client.resource(expert).forceConflicts().serverSideApply();
        }
        return this;
    }

    public DemoComposition applyPolicy(String file) {
        return applyFromPolicies(file, RoutingPolicy.class);
    }

    /** A ConfigMap from deploy/examples/policies, e.g. a trained router artifact a policy refers to. */
    public DemoComposition applyConfigMap(String file) {
        return applyFromPolicies(file, ConfigMap.class);
    }

    private DemoComposition applyFromPolicies(String file, Class<? extends HasMetadata> type) {
        HasMetadata object = load(ProjectPaths.root().resolve("deploy/examples/policies").resolve(file), type);
        object.getMetadata().setNamespace(NAMESPACE);
        client.resource(object).forceConflicts().serverSideApply();
        return this;
    }

    public StandInExpert frontier() {
        return frontier;
    }

    private <T extends HasMetadata> T load(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.resources(type).load(in).item();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlFiles(String dir) {
        try (var files = Files.list(ProjectPaths.root().resolve(dir))) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        frontier.close();
    }
}
