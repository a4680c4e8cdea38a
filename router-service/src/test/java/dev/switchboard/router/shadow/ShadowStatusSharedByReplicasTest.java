package dev.switchboard.router.shadow;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.ShadowStatus;
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
 * Two replicas of a live policy's router publishing status.shadow of its shadow policy on a real API server: their
 * counts add up, nothing is counted twice, a stale replica backs off, a new generation starts from zero, and the
 * rest of the status is left alone.
 */
class ShadowStatusSharedByReplicasTest {
    static final String NS = "shadow-status";
    static KubernetesClient client;

    @BeforeAll
    static void cluster() {
        client = KubeApiServer.shared().client();
        Crds.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    }

    static RoutingPolicy fresh() {
        return client.resources(RoutingPolicy.class).inNamespace(NS).withName("candidate").get();
    }

    @Test
    void replicasAddTheirCountsAndAStaleOneBacksOff() {
        RoutingPolicy created = client.resource(new KubernetesSerialization().unmarshal("""
                apiVersion: switchboard.dev/v1alpha1
                kind: RoutingPolicy
                metadata: {name: candidate, namespace: %s}
                spec:
                  experts: {names: [mathy, general]}
                  strategy: {type: static, static: {experts: [{name: general}]}}
                """.formatted(NS), RoutingPolicy.class)).create();
        client.resources(RoutingPolicy.class).inNamespace(NS).withName("candidate").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"observedGeneration\":1}}");
        ShadowStatusWriter writerA = new ShadowStatusWriter(client, NS, Duration.ZERO);
        ShadowStatusWriter writerB = new ShadowStatusWriter(client, NS, Duration.ZERO);
        ShadowTally a = new ShadowTally("coe", "candidate", 4, 1);
        ShadowTally b = new ShadowTally("coe", "candidate", 4, 1);
        for (int i = 0; i < 3; i++) {
            a.decided("math", "mathy", "mathy", 2_000_000, 1_000_000);
        }
        a.decided("chat", "general", "mathy", 2_000_000, 1_000_000);
        b.decided("chat", "general", "mathy", 3_000_000, 1_000_000);
        b.decided("chat", "general", "general", 3_000_000, 1_000_000);
        b.shed();

        assertThat(writerA.write(fresh(), a)).isTrue();
        assertThat(writerA.write(fresh(), a)).as("nothing new").isFalse();
        assertThat(writerB.write(created, b)).as("stale read: 409, retried later").isFalse();
        assertThat(writerB.write(fresh(), b)).isTrue();

        ShadowStatus s = fresh().getStatus().shadow;
        assertThat(s.of).isEqualTo("coe");
        assertThat(s.liveGeneration).isEqualTo(4);
        assertThat(s.observedGeneration).isEqualTo(1);
        assertThat(s.decisions).isEqualTo(6);
        assertThat(s.agreed).isEqualTo(4);
        assertThat(s.agreementRatio).isEqualTo(0.6667);
        assertThat(s.shed).isEqualTo(1);
        assertThat(s.perCategory).extracting(c -> c.category + ":" + c.agreed + "/" + c.decisions + "="
                + c.agreementRatio).containsExactly("chat:1/3=0.3333", "math:3/3=1.0");
        assertThat(s.disagreements).extracting(d -> d.liveExpert + "->" + d.shadowExpert + ":" + d.count)
                .containsExactly("general->mathy:2");
        assertThat(s.decisionLatency.liveP50Ms).isEqualTo(3.0);
        assertThat(s.decisionLatency.shadowP99Ms).isEqualTo(1.0);
        assertThat(fresh().getStatus().observedGeneration).as("the operator's part is untouched").isEqualTo(1);

        // more news from a: only the news is added
        a.decided("math", "mathy", "mathy", 2_000_000, 1_000_000);
        assertThat(writerA.write(fresh(), a)).isTrue();
        assertThat(fresh().getStatus().shadow.decisions).isEqualTo(7);

        // the live policy changed (generation 5): counting starts again
        ShadowTally next = new ShadowTally("coe", "candidate", 5, 1);
        next.decided("math", "mathy", "general", 2_000_000, 1_000_000);
        assertThat(writerA.write(fresh(), next)).isTrue();
        ShadowStatus restarted = fresh().getStatus().shadow;
        assertThat(restarted.liveGeneration).isEqualTo(5);
        assertThat(restarted.decisions).isEqualTo(1);
        assertThat(restarted.agreed).isZero();
        assertThat(restarted.disagreements).extracting(d -> d.liveExpert + "->" + d.shadowExpert)
                .containsExactly("mathy->general");
    }
}
