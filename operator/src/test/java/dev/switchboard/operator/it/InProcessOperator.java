package dev.switchboard.operator.it;

import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.expert.ExpertModelReconciler;
import dev.switchboard.operator.metrics.ExpertGauges;
import dev.switchboard.operator.router.RoutingPolicyReconciler;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;


/** The operator's reconcilers in a plain JOSDK Operator, watching one namespace of a real API server. */
public final class InProcessOperator implements AutoCloseable {
    private final Operator operator;

    private InProcessOperator(Operator operator) {
        this.operator = operator;
    }

    public static InProcessOperator start(KubernetesClient client, OperatorConfig config, String namespace) {
        return start(client, config, namespace, null);
    }

    public static InProcessOperator start(KubernetesClient client, OperatorConfig config, String namespace,
                                          String leaseName) {
        return start(client, config, namespace, leaseName, ExpertGauges.unexported());
    }

    /** With a lease name, runs leader election in the namespace first, as the packaged operator does in prod. */
    public static InProcessOperator start(KubernetesClient client, OperatorConfig config, String namespace,
                                          String leaseName, ExpertGauges gauges) {
        return start(client, config, namespace, leaseName, gauges, 0);
    }

    /** {@code reconcileThreads} > 0: JOSDK's reconcile threads (the packaged operator runs 10). */
    public static InProcessOperator start(KubernetesClient client, OperatorConfig config, String namespace,
                                          String leaseName, ExpertGauges gauges, int reconcileThreads) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(true);
            if (reconcileThreads > 0) {
                o.withConcurrentReconciliationThreads(reconcileThreads);
            }
            if (leaseName != null) {
                o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(leaseName).withLeaseNamespace(namespace)
                        .withExitOnStopLeading(false).build()); // the test JVM must survive stop()
            }
        });
        operator.register(new ExpertModelReconciler(config, java.time.Clock.systemUTC(), gauges), o -> o.settingNamespace(namespace));
        operator.register(new RoutingPolicyReconciler(config), o -> o.settingNamespace(namespace));
        operator.start();
        return new InProcessOperator(operator);
    }

    /** Applies the committed CRDs (deploy/crds, what users install) and waits until they are Established. */
    public static void installCrds(KubernetesClient client) {
        dev.switchboard.testing.Crds.install(client);
    }

    public static void createNamespace(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).serverSideApply();
        // No ServiceAccount admission in the harness: create "default" so pods of Deployments are admitted.
        client.serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
                .serverSideApply();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
