package dev.switchboard.lab.train;

import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.StrategyContext;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.strategy.Synthetic;
import dev.switchboard.engine.strategy.TagEncoder;
import dev.switchboard.engine.table.StrategyRegistry;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A trained artifact stored in a ConfigMap on a real kube-apiserver, read back and served. */
class ArtifactConfigMapTest {
    @Test
    void artifactRoundTripsThroughAConfigMap() {
        KubernetesClient client = KubeApiServer.shared().client();
        String ns = "learned-" + Long.toHexString(System.nanoTime());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        Synthetic.Data d = Synthetic.data(3, 30, "", (t, i) -> {
            double[] s = new double[3];
            s[t] = 1;
            return s;
        });
        String json = RouterTrainer.cluster(TagEncoder.ID, List.of("e0", "e1", "e2"), d.x(), d.s(), 3, 1).toJson();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("cluster-router").endMetadata().addToData("router.json", json).build()).create();

        StrategyContext fromCluster = fromConfigMaps(client, ns, Synthetic.ENCODER);
        assertThat(fromCluster.artifact("cluster-router", "router.json")).contains(json);
        Map<String, ExpertInfo> experts = Synthetic.experts(Synthetic.expert("e0", 1, true),
                Synthetic.expert("e1", 1, true), Synthetic.expert("e2", 1, true));
        RoutingStrategy s = StrategyRegistry.standard().builder("cluster").orElseThrow()
                .build("p", Synthetic.spec("cluster", "cluster-router"), experts, fromCluster);
        Decision decision = s.decide(new Query("f2 routed live"), Synthetic.policy(s, experts, null));
        assertThat(decision.expert()).isEqualTo("e2");
        client.namespaces().withName(ns).delete();
    }

    @Test
    void categoryClassifierIsServedFromAConfigMap() {
        KubernetesClient client = KubeApiServer.shared().client();
        String ns = "learned-category-" + Long.toHexString(System.nanoTime());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        Encoder hashing = new HashingEncoder();
        String json = CategoryData.artifact(hashing, CategoryData.rows(40, 1)).toJson();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("category-router").endMetadata().addToData("classifier.json", json).build()).create();

        Map<String, ExpertInfo> experts = Synthetic.experts(
                new ExpertInfo("mathy", ns, "mathy", "mathy", List.of(new Endpoint("http://127.0.0.1:9/v1")), null,
                        Set.of("math"), "", List.of(), false, Map.of(), 1),
                Synthetic.expert("general", 1, true));
        RoutingPolicySpec spec = Synthetic.spec("category", "category-router");
        spec.strategy.learned.key = "classifier.json";
        RoutingStrategy s = StrategyRegistry.standard().builder("category").orElseThrow()
                .build("p", spec, experts, fromConfigMaps(client, ns, hashing));
        Decision decision = s.decide(new Query("solve the integral equation"), Synthetic.policy(s, experts, "general"));
        assertThat(decision.category()).isEqualTo("math");
        assertThat(decision.expert()).isEqualTo("mathy");
        client.namespaces().withName(ns).delete();
    }

    private static StrategyContext fromConfigMaps(KubernetesClient client, String ns, Encoder encoder) {
        return new StrategyContext() {
            @Override
            public Encoder encoder() {
                return encoder;
            }

            @Override
            public Optional<String> artifact(String name, String key) {
                ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
                return cm == null || cm.getData() == null ? Optional.empty() : Optional.ofNullable(cm.getData().get(key));
            }
        };
    }
}
