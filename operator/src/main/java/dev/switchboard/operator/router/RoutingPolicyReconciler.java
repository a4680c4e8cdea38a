package dev.switchboard.operator.router;

import dev.switchboard.api.rules.ObjectNames;
import dev.switchboard.api.rules.PolicyExperts;
import dev.switchboard.api.rules.PolicyShadow;
import dev.switchboard.api.rules.PolicyRules;
import dev.switchboard.api.rules.Problem;
import dev.switchboard.api.rules.Reference;
import dev.switchboard.api.rules.References;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicyStatus;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.expert.ExpertLabels;
import dev.switchboard.operator.kube.EventRecorder;
import dev.switchboard.operator.kube.ResourceApplier;
import dev.switchboard.operator.kube.StatusPatcher;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Failure;
import dev.switchboard.operator.status.Reasons;
import dev.switchboard.operator.trust.SecretGrants;
import dev.switchboard.operator.trust.TrustChecks;
import dev.switchboard.operator.trust.Violation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private static final Logger LOG = Logger.getLogger(RoutingPolicyReconciler.class);
    /** How often a policy whose router reads Secrets is looked at again, so grants and revocations are noticed. */
    static final java.time.Duration GRANT_RECHECK = java.time.Duration.ofMinutes(1);
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

        // A name that cannot become <name>-router creates nothing: status says why, within this reconcile.
        List<Problem> nameProblems = ObjectNames.of(policy);
        if (!nameProblems.isEmpty()) {
            List<Problem> all = new ArrayList<>(nameProblems);
            all.addAll(PolicyRules.check(policyExperts));
            publish(client, policy, PolicyStatusCalculator.compute(policy, context.getSecondaryResource(
                    Deployment.class), experts, clock.instant(), Optional.of(Failure.invalid(Reasons.INVALID_POLICY,
                    all))));
            return UpdateControl.noUpdate();
        }

        SecretGrants grants = new SecretGrants(client);
        List<Violation> refused = refusals(policy, grants);
        if (!refused.isEmpty()) {
            // The router reads its policy live: none may run a spec the admin does not allow its author.
            context.getSecondaryResource(Deployment.class).ifPresent(d -> ResourceApplier.delete(client, d));
            client.policy().v1().podDisruptionBudget().inNamespace(namespace)
                    .withName(RouterLabels.routerName(policy)).delete();
            publish(client, policy, PolicyStatusCalculator.compute(policy, Optional.empty(), experts, refused,
                    clock.instant()));
            boolean grantMissing = refused.stream().anyMatch(v -> Violation.SECRET_NOT_GRANTED.equals(v.reason()));
            return grantMissing ? UpdateControl.<RoutingPolicy>noUpdate().rescheduleAfter(GRANT_RECHECK)
                    : UpdateControl.noUpdate();
        }
        List<String> routerSecrets = routerSecrets(policy, experts, grants);
        // read from the informer whose event brought us here (the primary cache may not have the new shadow yet)
        var policySource = (InformerEventSource<RoutingPolicy, RoutingPolicy>) context.eventSourceRetriever()
                .getEventSourceFor(RoutingPolicy.class, SHADOW_SOURCE);
        List<RoutingPolicy> policies = policySource.list(namespace, p -> true).toList();
        Optional<PolicyShadow> shadow = PolicyShadow.of(policy, policies, experts);
        if (shadow.filter(PolicyShadow::usable).isPresent()) {
            // the router decides for the shadow with the shadow's experts, whose API keys it must read too
            java.util.TreeSet<String> both = new java.util.TreeSet<>(routerSecrets);
            both.addAll(routerSecrets(shadow.get().shadow(), experts, grants));
            routerSecrets = List.copyOf(both);
        }

        // The Deployment last: should a call fail part-way, no router runs without its Service or permissions;
        // status says what failed (updateErrorStatus) and the next attempt converges.
        Deployment desired = RouterRenderer.deployment(policy, config);
        ResourceApplier.apply(client, RouterRenderer.serviceAccount(policy));
        ResourceApplier.apply(client, RouterRenderer.role(policy, routerSecrets));
        ResourceApplier.apply(client, RouterRenderer.roleBinding(policy));
        ResourceApplier.apply(client, RouterRenderer.service(policy));
        Optional<PodDisruptionBudget> pdb = RouterRenderer.podDisruptionBudget(policy);
        if (pdb.isPresent()) {
            ResourceApplier.apply(client, pdb.get());
        } else {
            client.policy().v1().podDisruptionBudget().inNamespace(namespace)
                    .withName(RouterLabels.routerName(policy)).delete();
        }
        Deployment applied = ResourceApplier.apply(client, desired);

        Optional<Deployment> router = context.getSecondaryResource(Deployment.class)
                .or(() -> Optional.ofNullable(applied));
        publish(client, policy, PolicyStatusCalculator.compute(policy, router, experts, policies, clock.instant()));
        boolean demandReported = StaleDemand.prune(client, policy, clock.instant());
        // Grants change without an event on the policy: look again so a new grant or a revocation is noticed.
        // Demand reports of router replicas that go away are removed once stale, without an event either.
        if (!routerSecrets.isEmpty() || !References.of(policy).ofKind(Reference.Kind.SECRET).isEmpty()) {
            return UpdateControl.<RoutingPolicy>noUpdate().rescheduleAfter(GRANT_RECHECK);
        }
        return demandReported ? UpdateControl.<RoutingPolicy>noUpdate().rescheduleAfter(StaleDemand.MAX_AGE)
                : UpdateControl.noUpdate();
    }

    /**
     * A reconcile threw (an API call failed, or the API server refused an object): status says so at once, naming
     * the object. A refused object is not retried (only a change of the spec helps); anything else is.
     */
    @Override
    @SuppressWarnings("unchecked")
    public ErrorStatusUpdateControl<RoutingPolicy> updateErrorStatus(RoutingPolicy policy,
                                                                     Context<RoutingPolicy> context, Exception e) {
        Failure failure = Failure.of(e, Reasons.INVALID_POLICY);
        LOG.warnf("RoutingPolicy %s/%s: %s: %s", policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
                failure.reason(), failure.message());
        try {
            var expertSource = (InformerEventSource<ExpertModel, RoutingPolicy>) context.eventSourceRetriever()
                    .getEventSourceFor(ExpertModel.class, EXPERT_SOURCE);
            List<ExpertModel> experts = expertSource.list(policy.getMetadata().getNamespace(), x -> true).toList();
            publish(context.getClient(), policy, PolicyStatusCalculator.compute(policy,
                    context.getSecondaryResource(Deployment.class), experts, clock.instant(), Optional.of(failure)));
        } catch (RuntimeException statusFailed) {
            LOG.warnf("RoutingPolicy %s/%s: cannot write status either: %s", policy.getMetadata().getNamespace(),
                    policy.getMetadata().getName(), statusFailed.getMessage());
        }
        return failure.retrying() ? ErrorStatusUpdateControl.noStatusUpdate()
                : ErrorStatusUpdateControl.<RoutingPolicy>noStatusUpdate().withNoRetry();
    }

    /** What the admin does not allow the policy's author, and its own Secret (embedding key) if not granted. */
    private List<Violation> refusals(RoutingPolicy policy, SecretGrants grants) {
        List<Violation> refused = new ArrayList<>(TrustChecks.of(policy, config.trust(), config.routerImage()));
        refused.addAll(grants.ungranted(policy.getMetadata().getNamespace(),
                References.of(policy).ofKind(Reference.Kind.SECRET)));
        return refused;
    }

    /**
     * The Secrets the router's Role lets it read: the API keys of the policy's embedding endpoint and of its
     * external experts ({@link PolicyExperts#routerSecrets()}), leaving out the keys of experts the trust policy
     * refuses and every Secret not granted to Switchboard.
     */
    private List<String> routerSecrets(RoutingPolicy policy, List<ExpertModel> experts, SecretGrants grants) {
        List<ExpertModel> allowed = experts.stream()
                .filter(e -> TrustChecks.of(e, config.trust(), config.vllmImage()).isEmpty()).toList();
        return PolicyExperts.resolve(policy, allowed).routerSecrets().stream()
                .filter(name -> grants.granted(policy.getMetadata().getNamespace(), name)).toList();
    }

    private void publish(KubernetesClient client, RoutingPolicy policy, PolicyStatusCalculator.Result result) {
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
    }

    /** Compares what the operator writes; routingTable, demand and shadow belong to the routers and are ignored. */
    static boolean sameStatus(RoutingPolicyStatus current, RoutingPolicyStatus next) {
        if (current == null) {
            return false;
        }
        var mapper = Serialization.jsonMapper();
        var a = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(current);
        var b = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(next);
        a.remove(List.of("routingTable", "demand", "shadow"));
        b.remove(List.of("routingTable", "demand", "shadow"));
        return Objects.equals(a, b);
    }
}
