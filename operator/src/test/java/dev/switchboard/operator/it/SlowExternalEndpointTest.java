package dev.switchboard.operator.it;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.operator.TestResources;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.metrics.ExpertGauges;
import dev.switchboard.testing.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * External probes run off the reconcile threads: with more external experts pointing at a loopback endpoint that
 * accepts connections and never answers than the operator has reconcile threads, another expert is still reconciled
 * at once, and the silent ones end EndpointUnreachable after the probe timeout.
 */
class SlowExternalEndpointTest {
    static final String NS = "slow-probe-it";

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSilentEndpointDoesNotStarveReconciliation() throws Exception {
        KubernetesClient client = KubeApiServer.shared().client();
        InProcessOperator.installCrds(client);
        InProcessOperator.createNamespace(client, NS);
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepted, never answered
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "silent-endpoint");
            acceptor.setDaemon(true);
            acceptor.start();
            Duration timeout = Duration.ofSeconds(6);
            OperatorConfig config = OperatorConfig.defaults().withTrust(TestResources.loopbackTrust())
                    .withExternalProbeTimeout(timeout).withExternalProbeInterval(Duration.ofSeconds(30));
            // Two reconcile threads, eight silent experts: a probe on a reconcile thread would block them for 24 s.
            try (InProcessOperator operator = InProcessOperator.start(client, config, NS, null,
                    ExpertGauges.unexported(), 2)) {
                for (int i = 0; i < 8; i++) {
                    client.resource(expert("silent-" + i, "external: {url: 'http://127.0.0.1:"
                            + silent.getLocalPort() + "/v1'}")).create();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> held.size() >= 4); // the probes are waiting
                long started = System.nanoTime();
                client.resource(expert("deployed", "model: {uri: 'hf://org/model'}")).create();
                await().atMost(timeout.minusSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() ->
                        client.apps().deployments().inNamespace(NS).withName("deployed").get() != null);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(took).isLessThan(timeout);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (int i = 0; i < 8; i++) {
                        ExpertModel e = client.resources(ExpertModel.class).inNamespace(NS).withName("silent-" + i)
                                .get();
                        assertThat(e.getStatus()).as("silent-" + i).isNotNull();
                        assertThat(e.getStatus().condition("Degraded").orElseThrow().getReason())
                                .isEqualTo("EndpointUnreachable");
                        assertThat(e.getStatus().condition("Degraded").orElseThrow().getMessage())
                                .contains("did not answer within 6000 ms");
                    }
                });
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    static ExpertModel expert(String name, String spec) {
        return Serialization.unmarshal("apiVersion: switchboard.dev/v1alpha1\nkind: ExpertModel\nmetadata: {name: "
                + name + ", namespace: " + NS + "}\nspec:\n" + spec.indent(2), ExpertModel.class);
    }
}
