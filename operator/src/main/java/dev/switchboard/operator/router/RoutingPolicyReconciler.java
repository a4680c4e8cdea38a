package dev.switchboard.operator.router;

import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.rules.PolicyShadow;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.expert.ExpertLabels;
import dev.switchboard.operator.kube.EventRecorder;
import dev.switchboard.operator.kube.ResourceApplier;
import dev.switchboard.operator.kube.StatusPatcher;
import dev.switchboard.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * RoutingPolicy → router ServiceAccount, Role, RoleBinding, Deployment, Service (+ PDB); status from the shared
 * policy rules, the router's verdict and the experts. Not generation-aware: the router's verdict arrives as a status
 * change (status.routingTable), which must trigger a reconcile so that Ready follows it.
 */
@ControllerConfiguration(name = RoutingPolicyReconciler.NAME, generationAwareEventProcessing = false)
public class RoutingPolicyReconciler implements Reconciler<RoutingPolicy> {
    public static final String NAME = "routingpolicy";
    static final String EXPERT_SOURCE = "policy-experts";
    static final String SHADOW_SOURCE = "shadow-policies";
    static final String MANAGED_ROUTERS = ExpertLabels.MANAGED_BY + "=" + ExpertLabels.OPERATOR + ","
            + ExpertLabels.COMPONENT + "=router";

    private final OperatorConfig config;
    private final Clock clock;

    @Inject
    public RoutingPolicyReconciler(OperatorConfig config) {
        this(config, Clock.systemUTC());
    }

    public RoutingPolicyReconciler(OperatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, RoutingPolicy>> prepareEventSources(EventSourceContext<RoutingPolicy> context) {
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Deployment.class, RoutingPolicy.class)
                .withName("router-deployments")
                .withLabelSelector(MANAGED_ROUTERS)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(RoutingPolicy.class, false))
                .build(), context);
        var primaries = context.getPrimaryCache();
        // Any expert change (created, deleted, became ready) may change every policy of its namespace.
        var experts = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ExpertModel.class, RoutingPolicy.class)
                .withName(EXPERT_SOURCE)
                .withSecondaryToPrimaryMapper((ExpertModel e) -> primaries.list(e.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        // A policy created, deleted or changed may be the shadow another policy of its namespace names.
        var shadows = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(RoutingPolicy.class, RoutingPolicy.class)
                .withName(SHADOW_SOURCE)
                .withOnUpdateFilter((RoutingPolicy newer, RoutingPolicy older) ->
                        !java.util.Objects.equals(newer.getMetadata().getGeneration(),
                                older.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper((RoutingPolicy changed) -> primaries
                        .list(changed.getMetadata().getNamespace())
                        .filter(p -> p.getSpec() != null && p.getSpec().shadow != null
                                && changed.getMetadata().getName().equals(p.getSpec().shadow.policy))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(deployments, experts, shadows);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpdateControl<RoutingPolicy> reconcile(RoutingPolicy policy, Context<RoutingPolicy> context) {
        KubernetesClient client = context.getClient();
        String namespace = policy.getMetadata().getNamespace();
        var expertSource = (InformerEventSource<ExpertModel, RoutingPolicy>) context.eventSourceRetriever()
                .getEventSourceFor(ExpertModel.class, EXPERT_SOURCE);
        List<ExpertModel> experts = expertSource.list(namespace, e -> true).toList();

        PolicyExperts policyExperts = PolicyExperts.resolve(policy, experts);
        // read from the informer whose event brought us here (the primary cache may not have the new shadow yet)
        var policySource = (InformerEventSource<RoutingPolicy, RoutingPolicy>) context.eventSourceRetriever()
                .getEventSourceFor(RoutingPolicy.class, SHADOW_SOURCE);
        List<RoutingPolicy> policies = policySource.list(namespace, p -> true).toList();
        Optional<PolicyShadow> shadow = PolicyShadow.of(policy, policies, experts);
        // the router decides for the shadow with the shadow's experts, whose API keys it must read too
        TreeSet<String> secrets = new TreeSet<>(policyExperts.routerSecrets());
        shadow.filter(PolicyShadow::usable).ifPresent(s ->
                secrets.addAll(PolicyExperts.resolve(s.shadow(), experts).routerSecrets()));

        ResourceApplier.apply(client, RouterRenderer.serviceAccount(policy));
        ResourceApplier.apply(client, RouterRenderer.role(policy, List.copyOf(secrets)));
        ResourceApplier.apply(client, RouterRenderer.roleBinding(policy));
        Deployment applied = ResourceApplier.apply(client, RouterRenderer.deployment(policy, config));
        ResourceApplier.apply(client, RouterRenderer.service(policy));
        Optional<PodDisruptionBudget> pdb = RouterRenderer.podDisruptionBudget(policy);
        if (pdb.isPresent()) {
            ResourceApplier.apply(client, pdb.get());
        } else {
            client.policy().v1().podDisruptionBudget().inNamespace(namespace)
                    .withName(RouterLabels.routerName(policy)).delete();
        }

        Optional<Deployment> router = context.getSecondaryResource(Deployment.class)
                .or(() -> Optional.ofNullable(applied));
        var result = PolicyStatusCalculator.compute(policy, router, experts, policies, clock.instant());
        RoutingPolicyStatus status = result.status();
        if (!sameStatus(policy.getStatus(), status)) {
            StatusPatcher.patch(client, policy, status);
        }
        for (ConditionSet.Transition t : result.transitions()) {
            if (ConditionSet.DEGRADED.equals(t.type()) && "False".equals(t.status()) && policy.getStatus() == null) {
                continue;
            }
            EventRecorder.record(client, policy, t.isWarning(), t.reason(), t.type() + "=" + t.status()
                    + (t.message() == null || t.message().isBlank() ? "" : ": " + t.message()));
        }
        return UpdateControl.noUpdate();
    }

    /** Compares what the operator writes; routingTable and shadow belong to the routers and are ignored. */
    static boolean sameStatus(RoutingPolicyStatus current, RoutingPolicyStatus next) {
        if (current == null) {
            return false;
        }
        var mapper = Serialization.jsonMapper();
        var a = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(current);
        var b = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(next);
        a.remove("routingTable");
        b.remove("routingTable");
        a.remove("shadow");
        b.remove("shadow");
        return Objects.equals(a, b);
    }
}
