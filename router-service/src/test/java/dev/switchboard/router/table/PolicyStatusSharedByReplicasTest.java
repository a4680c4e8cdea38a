package dev.switchboard.router.table;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.testing.Crds;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two router replicas publishing status.routingTable of one policy on a real API server: the version counts
 * published changes (never goes back, no double count for the same rows), a replica writing from a stale read backs
 * off instead of overwriting, and the operator's part of the status is left alone.
 */
class PolicyStatusSharedByReplicasTest {
    static final String NS = "status-replicas";
    static final String STATIC_TWO = """
              experts: {names: [mathy, general]}
              fallback: general
              strategy:
                type: static
                static: {experts: [{name: mathy, weight: 1}]}
            """;
    static final String STATIC_THREE = """
              experts: {names: [mathy, poet, general]}
              fallback: general
              strategy:
                type: static
                static: {experts: [{name: mathy, weight: 1}, {name: poet, weight: 1}]}
            """;
    static KubernetesClient client;

    @BeforeAll
    static void cluster() {
        client = KubeApiServer.shared().client();
        Crds.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    }

    @Test
    void replicasShareOneMonotonicVersionAndAStaleReplicaBacksOff() {
        RoutingPolicy created = client.resource(new KubernetesSerialization().unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: coe, namespace: %s}
                spec:
                  modelName: coe
                  experts: {names: [mathy, general]}
                  strategy:
                    type: static
                    static: {experts: [{name: mathy, weight: 1}]}
                """.formatted(NS), RoutingPolicy.class)).create();
        // the operator's share of the status, which the router must not touch
        client.resources(RoutingPolicy.class).inNamespace(NS).withName("coe").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"observedGeneration\":1}}");
        PolicyStatusWriter a = new PolicyStatusWriter(client, NS, Duration.ZERO);
        PolicyStatusWriter b = new PolicyStatusWriter(client, NS, Duration.ZERO);
        PolicyVerdict two = PolicyVerdict.accepted(1, PolicyStatusWriterTest.route(STATIC_TWO));
        PolicyVerdict three = PolicyVerdict.accepted(1, PolicyStatusWriterTest.route(STATIC_THREE));

        assertThat(a.write(fresh(), two)).isTrue();
        assertThat(fresh().getStatus().routingTable.version).isEqualTo(1);
        assertThat(fresh().getStatus().routingTable.observedGeneration).isEqualTo(1);
        assertThat(fresh().getStatus().routingTable.accepted).isTrue();
        assertThat(fresh().getStatus().routingTable.message).isNull();
        // b still holds the policy as created (no status, older resourceVersion): its write is refused
        assertThat(b.write(created, two)).isFalse();
        // once b sees the published rows, the same rows are not written again
        assertThat(b.write(fresh(), two)).isFalse();
        assertThat(fresh().getStatus().routingTable.version).isEqualTo(1);

        RoutingPolicy seenByA = fresh();
        assertThat(b.write(fresh(), three)).isTrue();
        assertThat(fresh().getStatus().routingTable.version).isEqualTo(2);
        // a read the policy before b's write: its write of the same change is refused, not counted twice
        assertThat(a.write(seenByA, three)).isFalse();
        // a's table still lagging behind (old rows, which match what it read): nothing to publish
        assertThat(a.write(seenByA, two)).isFalse();
        assertThat(a.write(fresh(), three)).isFalse();

        RoutingPolicy now = fresh();
        assertThat(now.getStatus().routingTable.version).isEqualTo(2);
        assertThat(now.getStatus().routingTable.routes).extracting(r -> r.route + "/" + r.expert)
                .containsExactly("*/general", "*/mathy", "*/poet", "fallback/general");
        assertThat(now.getStatus().observedGeneration).isEqualTo(1L);
    }

    @Test
    void aRefusalIsPublishedNamingTheFieldAndReplacesTheRows() {
        client.resource(new KubernetesSerialization().unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: refused, namespace: %s}
                spec:
                  modelName: refused
                  experts: {names: [mathy, general]}
                  strategy:
                    type: static
                    static: {experts: [{name: mathy, weight: 1}]}
                """.formatted(NS), RoutingPolicy.class)).create();
        PolicyStatusWriter writer = new PolicyStatusWriter(client, NS, Duration.ZERO);
        assertThat(writer.write(get("refused"), PolicyVerdict.accepted(1, PolicyStatusWriterTest.route(STATIC_TWO))))
                .isTrue();

        String why = "spec.strategy.learned: artifact cm/router.json not found (ConfigMap or key missing)";
        assertThat(writer.write(get("refused"), PolicyVerdict.refused(1, why))).isTrue();
        var table = get("refused").getStatus().routingTable;
        assertThat(table.version).isEqualTo(2);
        assertThat(table.observedGeneration).isEqualTo(1);
        assertThat(table.accepted).isFalse();
        assertThat(table.message).isEqualTo(why);
        assertThat(table.routes).isEmpty();
        // the same refusal is not written again
        assertThat(writer.write(get("refused"), PolicyVerdict.refused(1, why))).isFalse();

        // a verdict on a newer generation is a change, even with the same rows as before
        assertThat(writer.write(get("refused"), PolicyVerdict.accepted(2, PolicyStatusWriterTest.route(STATIC_TWO))))
                .isTrue();
        table = get("refused").getStatus().routingTable;
        assertThat(table.version).isEqualTo(3);
        assertThat(table.observedGeneration).isEqualTo(2);
        assertThat(table.accepted).isTrue();
        assertThat(table.message).isNull();
        assertThat(table.routes).extracting(r -> r.route + "/" + r.expert)
                .containsExactly("*/general", "*/mathy", "fallback/general");
    }

    private static RoutingPolicy get(String name) {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName(name).get();
    }

    private static RoutingPolicy fresh() {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName("coe").get();
    }
}
