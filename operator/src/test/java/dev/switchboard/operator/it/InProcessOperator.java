package dev.switchboard.operator.it;

import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.expert.ExpertModelReconciler;
import dev.switchboard.operator.metrics.ExpertGauges;
import dev.switchboard.operator.router.RoutingPolicyReconciler;
import dev.switchboard.testing.KubeApiServer;
import dev.switchboard.testing.ProjectPaths;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;


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

    /**
     * A client authenticated as ServiceAccount {@code serviceAccount} of {@code namespace}, bound (cluster-wide) to
     * the operator's ClusterRole operator/src/main/kubernetes/clusterrole.yaml and nothing else: what the packaged
     * operator may do.
     */
    public static KubernetesClient operatorServiceAccountClient(KubernetesClient admin, String namespace,
                                                                String serviceAccount) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(serviceAccount).endMetadata().build()).serverSideApply();
        try (InputStream in = Files.newInputStream(
                ProjectPaths.root().resolve("operator/src/main/kubernetes/clusterrole.yaml"))) {
            admin.resource(Serialization.unmarshal(in, ClusterRole.class)).forceConflicts().serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("switchboard-operator-" + namespace)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("switchboard-operator").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName(serviceAccount).withNamespace(namespace).endSubject().build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(KubeApiServer.shared().config())
                .withOauthToken(token).withNamespace(namespace).build()).build();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
