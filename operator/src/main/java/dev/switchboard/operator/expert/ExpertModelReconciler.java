package dev.switchboard.operator.expert;

import dev.switchboard.api.rules.ExpertRules;
import dev.switchboard.api.rules.Problem;
import dev.switchboard.api.rules.Reference;
import dev.switchboard.api.rules.References;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.operator.adapter.AdapterStatusCalculator;
import dev.switchboard.operator.adapter.AdapterSync;
import dev.switchboard.operator.adapter.LoraLayout;
import dev.switchboard.operator.adapter.PodAddresses;
import dev.switchboard.operator.adapter.VllmAdapterApi;
import dev.switchboard.operator.autoscale.Autoscaler;
import dev.switchboard.operator.config.OperatorConfig;
import dev.switchboard.operator.kube.EventRecorder;
import dev.switchboard.operator.kube.ResourceApplier;
import dev.switchboard.operator.kube.StatusPatcher;
import dev.switchboard.operator.metrics.ExpertGauges;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Failure;
import dev.switchboard.operator.status.Reasons;
import dev.switchboard.operator.trust.ApiServerAddresses;
import dev.switchboard.operator.trust.SecretGrants;
import dev.switchboard.operator.trust.TrustChecks;
import dev.switchboard.operator.trust.Violation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * ExpertModel → vLLM Deployment + Service (+ weights cache PVC, + ServiceMonitor), status from the pods.
 * External experts get no workload; their endpoint is probed every external-probe-interval, off the reconcile
 * threads. Before anything is rendered or probed, the expert is checked against the admin's trust policy and its
 * Secrets' grants (docs/security.md).
 */
@ControllerConfiguration(name = ExpertModelReconciler.NAME)
public class ExpertModelReconciler implements Reconciler<ExpertModel> {
    public static final String NAME = "expertmodel";
    private static final Logger LOG = Logger.getLogger(ExpertModelReconciler.class);
    static final String PROBE_SOURCE = "external-probe-results";
    /** How often an expert that names a Secret is looked at again, so a grant or its revocation is noticed. */
    static final Duration GRANT_RECHECK = Duration.ofMinutes(1);
    static final String MANAGED_EXPERTS = ExpertLabels.MANAGED_BY + "=" + ExpertLabels.OPERATOR + ","
            + ExpertLabels.COMPONENT + "=expert";

    private final OperatorConfig config;
    /** Created with the event sources, when the API server's address is known. */
    private volatile ExternalProbes probes;
    private final SimpleInboundEventSource<ExpertModel> probeResults = new SimpleInboundEventSource<>(PROBE_SOURCE);
    private final Clock clock;
    private final MonitoringSupport monitoring;
    private final ExpertGauges gauges;
    private final ExpertFamily family = new ExpertFamily();
    private volatile AdapterSync adapterSync;
    /** How often adapters and their bases compare what the pods serve with what should be served. */
    static final Duration ADAPTER_RESYNC = Duration.ofSeconds(30);
    /** How often an autoscaled expert is decided on without new demand (a pending scale-down). */
    static final Duration AUTOSCALE_PERIOD = Duration.ofSeconds(10);

    @Inject
    public ExpertModelReconciler(OperatorConfig config, ExpertGauges gauges, PodAddresses addresses) {
        this(config, Clock.systemUTC(), gauges);
        withPodAddresses(addresses);
    }

    public ExpertModelReconciler(OperatorConfig config) {
        this(config, Clock.systemUTC(), ExpertGauges.unexported());
    }

    public ExpertModelReconciler(OperatorConfig config, Clock clock, ExpertGauges gauges) {
        this.config = config;
        this.clock = clock;
        this.gauges = gauges;
        this.monitoring = new MonitoringSupport(config.serviceMonitors());
        withPodAddresses(PodAddresses.direct());
    }

    /** How the operator reaches pod IPs to load adapters (a map file only on simulated clusters). */
    public ExpertModelReconciler withPodAddresses(PodAddresses addresses) {
        this.adapterSync = new AdapterSync(new VllmAdapterApi(config.externalProbeTimeout()), addresses,
                ExpertDeploymentRenderer.PORT);
        return this;
    }

    @Override
    public List<EventSource<?, ExpertModel>> prepareEventSources(EventSourceContext<ExpertModel> context) {
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Deployment.class, ExpertModel.class)
                .withName("expert-deployments")
                .withLabelSelector(MANAGED_EXPERTS)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ExpertModel.class, false))
                .build(), context);
        var services = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Service.class, ExpertModel.class)
                .withName("expert-services")
                .withLabelSelector(MANAGED_EXPERTS)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ExpertModel.class, false))
                .build(), context);
        // Pods carry the facts status is computed from (scheduling, image pulls, crashes, readiness).
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Pod.class, ExpertModel.class)
                .withName("expert-pods")
                .withLabelSelector(MANAGED_EXPERTS)
                .withSecondaryToPrimaryMapper((Pod pod) -> {
                    String expert = pod.getMetadata().getLabels() == null ? null
                            : pod.getMetadata().getLabels().get(ExpertLabels.EXPERT);
                    if (expert == null) {
                        return Set.of();
                    }
                    // the base's pods are also where its adapter experts are served
                    Set<ResourceID> ids = new java.util.HashSet<>();
                    ids.add(new ResourceID(expert, pod.getMetadata().getNamespace()));
                    family.adaptersOf(pod.getMetadata().getNamespace(), expert)
                            .forEach(a -> ids.add(ResourceID.fromResource(a)));
                    return ids;
                })
                .build(), context);
        // Without a finalizer the reconciler never sees a deletion: this source only watches for it, so the
        // deleted expert's gauges are removed; it never triggers a reconcile itself.
        var deletions = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ExpertModel.class, ExpertModel.class)
                .withName("expert-deletions")
                .withSecondaryToPrimaryMapper((ExpertModel e) -> Set.of(ResourceID.fromResource(e)))
                .withOnAddFilter(e -> false)
                .withOnUpdateFilter((newer, older) -> false)
                .withOnDeleteFilter((deleted, finalStateUnknown) -> {
                    gauges.remove(deleted.getMetadata().getNamespace(), deleted.getMetadata().getName(),
                            deleted.getMetadata().getUid());
                    if (probes != null) {
                        probes.forget(ResourceID.fromResource(deleted));
                    }
                    return false;
                })
                .build(), context);
        ExternalProbe probe = new ExternalProbe(config.externalProbeTimeout(), config.trust().endpoints(),
                ApiServerAddresses.of(System.getenv(), context.getClient().getConfiguration().getMasterUrl()));
        ExternalProbes created = new ExternalProbes(probe, config.externalProbeThreads(), clock);
        created.onDone(probeResults::propagateEvent);
        ExternalProbes previous = probes;
        probes = created;
        if (previous != null) {
            previous.close();
        }
        return List.of(deployments, services, pods, deletions, probeResults, family.relatives(context),
                family.demand(context));
    }

    @Override
    public UpdateControl<ExpertModel> reconcile(ExpertModel expert, Context<ExpertModel> context) {
        KubernetesClient client = context.getClient();
        // What can be checked is checked before anything is created: an unusable spec leaves nothing half-made.
        List<Problem> problems = ExpertRules.check(expert);
        if (!problems.isEmpty()) {
            Failure invalid = Failure.invalid(Reasons.INVALID_SPEC, problems);
            if (context.getSecondaryResource(Deployment.class).isPresent()) {
                invalid = new Failure(invalid.reason(), invalid.message() + " (the objects of the last valid spec "
                        + "are left as they were)", false);
            }
            publish(client, expert, ExpertStatusCalculator.notRealised(expert, invalid, clock.instant()));
            return UpdateControl.noUpdate();
        }
        if (expert.isExternal()) {
            // An expert switched from deployed to external keeps nothing running.
            context.getSecondaryResource(Deployment.class).ifPresent(d -> ResourceApplier.delete(client, d));
            context.getSecondaryResource(Service.class).ifPresent(svc -> ResourceApplier.delete(client, svc));
        }
        // What the admin does not allow its author, or a Secret not granted to Switchboard: nothing is rendered,
        // probed or changed (a running Deployment keeps its last allowed spec), the status names the rule.
        List<Violation> violations = violations(expert, client);
        if (!violations.isEmpty()) {
            publish(client, expert, ExpertStatusCalculator.refused(expert, violations, clock.instant()));
            boolean grantMissing = violations.stream().anyMatch(v -> Violation.SECRET_NOT_GRANTED.equals(v.reason()));
            return grantMissing ? UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(GRANT_RECHECK)
                    : UpdateControl.noUpdate();
        }
        if (expert.isAdapter()) {
            // An expert switched from deployed to adapter keeps nothing running of its own.
            context.getSecondaryResource(Deployment.class).ifPresent(d -> ResourceApplier.delete(client, d));
            context.getSecondaryResource(Service.class).ifPresent(svc -> ResourceApplier.delete(client, svc));
            return reconcileAdapter(expert, client, context);
        }
        if (expert.isExternal()) {
            return reconcileExternal(expert, client);
        }
        // The Deployment, which takes GPUs, comes last: should a call fail part-way, what exists serves nothing
        // rather than holding GPUs nobody can reach; status says what failed (updateErrorStatus) and the next
        // attempt converges. Rendering first: a spec the renderers cannot read creates nothing.
        // With expert API keys on, the operator cannot call the base's vLLM (it reads no key): no adapter is served.
        LoraLayout lora = LoraLayout.of(expert, config.expertApiKeys().enabled() ? List.of()
                : family.adaptersOf(expert.getMetadata().getNamespace(), expert.getMetadata().getName()));
        Deployment desired = ExpertDeploymentRenderer.render(expert, config, lora);
        WeightsCacheRenderer.render(expert).ifPresent(pvc -> applyCache(client, pvc));
        ResourceApplier.apply(client, ExpertServiceRenderer.render(expert));
        SecretKeyRef apiKey = config.expertApiKeys().enabled() ? ExpertApiKeySecret.ref(config) : null;
        Deployment applied = ResourceApplier.apply(client, desired);
        if (monitoring.enabled(client)) {
            try {
                ResourceApplier.apply(client, ServiceMonitorRenderer.render(expert));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                monitoring.markUnavailable(); // the CRD went away since discovery: skip, don't fail the expert
            }
        }

        Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class)
                .or(() -> Optional.ofNullable(applied));
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> expert.getMetadata().getNamespace().equals(p.getMetadata().getNamespace()))
                .toList();
        var result = ExpertStatusCalculator.compute(expert, deployment, pods, config.startupProbeBudget(),
                clock.instant());
        result.status().apiKeySecretRef = apiKey;
        if (lora.enabled() && !config.expertApiKeys().enabled()) {
            // adapters that were deleted, refused or moved leave the pods (no finalizer: level-based)
            // The relatives informer can bring a new adapter's event before the primary cache holds it: an adapter
            // the API server still has for this base, and the layout does not refuse, is kept.
            java.util.function.Predicate<String> wanted = name -> lora.admitted().containsKey(name)
                    || (lora.refusal(name).isEmpty() && stillAdapterOf(client, expert, name));
            List<String> failed = adapterSync.unloadOthers(wanted, pods);
            failed.forEach(f -> LOG.warnf("ExpertModel %s/%s: unloading adapters: %s",
                    expert.getMetadata().getNamespace(), expert.getMetadata().getName(), f));
        }
        if (expert.getSpec().autoscaling != null) {
            result.status().autoscaler = Autoscaler.run(client, expert, family.servedNames(expert),
                    demandSources(context), clock.instant());
        }
        publish(client, expert, result);
        if (lora.enabled() || expert.getSpec().autoscaling != null) {
            return UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(expert.getSpec().autoscaling != null
                    ? AUTOSCALE_PERIOD : ADAPTER_RESYNC);
        }
        // Startup budgets expire without any event: look again so StartupTooSlow is noticed.
        if (!result.status().isTrue(ConditionSet.READY) && Reasons.LOADING_MODEL.equals(
                result.status().condition(ConditionSet.PROGRESSING).map(c -> c.getReason()).orElse(""))) {
            return UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(Duration.ofMinutes(1));
        }
        if (apiKey != null || !References.of(expert).ofKind(Reference.Kind.SECRET).isEmpty()) {
            return UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(GRANT_RECHECK);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * An adapter expert: served on its base's ready pods, loaded where they lack it; Degraded with a message naming
     * the field when there is no deployable base or the base's limits refuse it.
     */
    private UpdateControl<ExpertModel> reconcileAdapter(ExpertModel adapter, KubernetesClient client,
                                                        Context<ExpertModel> context) {
        String ns = adapter.getMetadata().getNamespace();
        String baseName = adapter.getSpec().adapter.base;
        ExpertModel base = family.get(ns, baseName);
        java.time.Instant now = clock.instant();
        AdapterStatusCalculator.Result result;
        if (config.expertApiKeys().enabled()) {
            result = AdapterStatusCalculator.notServed(adapter, base, Reasons.API_KEYS_ENABLED, "spec.adapter: "
                    + "adapters are loaded by the operator through the base's vLLM API, which requires the expert API "
                    + "key while expertApiKeys.enabled is true, and the operator reads no Secret value; turn expert "
                    + "API keys off or deploy this model as its own ExpertModel (spec.model)", now);
        } else if (base == null) {
            result = AdapterStatusCalculator.notServed(adapter, null, Reasons.BASE_NOT_FOUND, "spec.adapter.base: "
                    + "ExpertModel '" + baseName + "' not found in namespace " + ns, now);
        } else if (base.isExternal() || base.isAdapter() || base.getSpec() == null || base.getSpec().model == null) {
            result = AdapterStatusCalculator.notServed(adapter, base, Reasons.BASE_NOT_DEPLOYED, "spec.adapter.base: "
                    + "ExpertModel '" + baseName + "' is " + (base.isExternal() ? "spec.external" : base.isAdapter()
                    ? "itself an adapter" : "not deployed") + "; an adapter needs a base with spec.model, whose vLLM "
                    + "pods the operator runs", now);
        } else {
            // this adapter as reconciled now, in case the relatives' cache has not seen it yet
            List<ExpertModel> siblings = new ArrayList<>(family.adaptersOf(ns, baseName).stream()
                    .filter(a -> !a.getMetadata().getName().equals(adapter.getMetadata().getName())).toList());
            siblings.add(adapter);
            LoraLayout lora = LoraLayout.of(base, siblings);
            Optional<LoraLayout.Refusal> refusal = lora.refusal(adapter.getMetadata().getName());
            if (refusal.isPresent()) {
                result = AdapterStatusCalculator.notServed(adapter, base, refusal.get().reason(),
                        refusal.get().message(), now);
            } else {
                List<Pod> basePods = basePods(context, ns, baseName);
                AdapterSync.Outcome outcome = adapterSync.ensureLoaded(adapter.getMetadata().getName(),
                        LoraLayout.loraPath(adapter.getSpec().adapter), basePods);
                result = AdapterStatusCalculator.loaded(adapter, base, outcome, now);
            }
        }
        publish(client, adapter, new ExpertStatusCalculator.Result(result.status(), result.transitions()));
        return UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(ADAPTER_RESYNC);
    }

    @SuppressWarnings("unchecked")
    private static List<Pod> basePods(Context<ExpertModel> context, String namespace, String base) {
        var source = (io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<Pod,
                ExpertModel>) context.eventSourceRetriever().getEventSourceFor(Pod.class, "expert-pods");
        return source.list(namespace, p -> p.getMetadata().getLabels() != null
                && base.equals(p.getMetadata().getLabels().get(ExpertLabels.EXPERT))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<dev.switchboard.api.v1alpha1.RoutingPolicy> demandSources(Context<ExpertModel> context) {
        var source = (io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<
                dev.switchboard.api.v1alpha1.RoutingPolicy, ExpertModel>) context.eventSourceRetriever()
                .getEventSourceFor(dev.switchboard.api.v1alpha1.RoutingPolicy.class, "expert-demand");
        return source.list(context.getPrimaryResource().getMetadata().getNamespace(), p -> true).toList();
    }

    private static boolean stillAdapterOf(KubernetesClient client, ExpertModel base, String name) {
        ExpertModel e = client.resources(ExpertModel.class).inNamespace(base.getMetadata().getNamespace())
                .withName(name).get();
        return e != null && e.getMetadata().getDeletionTimestamp() == null && e.isAdapter()
                && base.getMetadata().getName().equals(e.getSpec().adapter.base);
    }

    /**
     * A reconcile threw (an API call failed, or the API server refused an object): status says so at once, naming
     * the object, instead of only a log line. A refused object or an unreadable spec is not retried (only a change
     * helps); anything else is, with JOSDK's backoff.
     */
    @Override
    public ErrorStatusUpdateControl<ExpertModel> updateErrorStatus(ExpertModel expert, Context<ExpertModel> context,
                                                                   Exception e) {
        Failure failure = Failure.of(e, Reasons.INVALID_SPEC);
        LOG.warnf("ExpertModel %s/%s: %s: %s", expert.getMetadata().getNamespace(), expert.getMetadata().getName(),
                failure.reason(), failure.message());
        try {
            publish(context.getClient(), expert, ExpertStatusCalculator.notRealised(expert, failure, clock.instant()));
        } catch (RuntimeException statusFailed) {
            LOG.warnf("ExpertModel %s/%s: cannot write status either: %s", expert.getMetadata().getNamespace(),
                    expert.getMetadata().getName(), statusFailed.getMessage());
        }
        return failure.retrying() ? ErrorStatusUpdateControl.noStatusUpdate()
                : ErrorStatusUpdateControl.<ExpertModel>noStatusUpdate().withNoRetry();
    }

    /**
     * The admin's rules ({@link TrustChecks}), the grants of the Secrets the expert names and, for a deployed expert
     * with expert API keys on, the grant and existence of the namespace's key Secret ({@link ExpertApiKeySecret}).
     */
    private List<Violation> violations(ExpertModel expert, KubernetesClient client) {
        List<Violation> violations = new ArrayList<>(TrustChecks.of(expert, config.trust(), config.vllmImage()));
        SecretGrants grants = new SecretGrants(client);
        String namespace = expert.getMetadata().getNamespace();
        violations.addAll(grants.ungranted(namespace, References.of(expert).ofKind(Reference.Kind.SECRET)));
        if (config.expertApiKeys().enabled() && !expert.isExternal() && !expert.isAdapter()) {
            ExpertApiKeySecret.check(grants, namespace, config).ifPresent(violations::add);
        }
        return violations;
    }

    /**
     * Publishes the latest probe of the expert's URL and asks for a new one when it is due; the probe runs on the
     * probe pool ({@link ExternalProbes}) and its end triggers the next reconcile. Until a first probe of the URL
     * finished the status is left as it is.
     */
    private UpdateControl<ExpertModel> reconcileExternal(ExpertModel expert, KubernetesClient client) {
        ResourceID id = ResourceID.fromResource(expert);
        String url = expert.getSpec().external.url;
        probes.requestIfDue(id, url, expert.getSpec().external.apiKeySecretRef != null,
                config.externalProbeInterval());
        probes.latest(id, url).ifPresent(latest ->
                publish(client, expert, ExpertStatusCalculator.external(expert, latest.outcome(), clock.instant())));
        return UpdateControl.<ExpertModel>noUpdate().rescheduleAfter(config.externalProbeInterval());
    }

    private void publish(KubernetesClient client, ExpertModel expert, ExpertStatusCalculator.Result result) {
        ExpertModelStatus status = result.status();
        if (!sameStatus(expert.getStatus(), status)) {
            StatusPatcher.patch(client, expert, status);
            if (expert.getStatus() != null && expert.getStatus().apiKeySecretRef != null
                    && status.apiKeySecretRef == null) {
                // expert API keys turned off (or the expert became external): routers stop sending the key
                StatusPatcher.remove(client, expert, "apiKeySecretRef");
            }
        }
        gauges.update(expert.getMetadata().getNamespace(), expert.getMetadata().getName(),
                expert.getMetadata().getUid(), status);
        for (ConditionSet.Transition t : result.transitions()) {
            if (ConditionSet.DEGRADED.equals(t.type()) && "False".equals(t.status())
                    && expert.getStatus() == null) {
                continue; // "not degraded" on creation is no news
            }
            EventRecorder.record(client, expert, t.isWarning(), t.reason(),
                    t.type() + "=" + t.status() + (t.message() == null || t.message().isBlank() ? ""
                            : ": " + t.message()));
        }
    }

    static boolean sameStatus(ExpertModelStatus a, ExpertModelStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
        return Objects.equals(mapper.valueToTree(a), mapper.valueToTree(b));
    }

    private void applyCache(KubernetesClient client, PersistentVolumeClaim pvc) {
        // A bound claim's spec is immutable apart from the size: create once, then leave it.
        var existing = client.persistentVolumeClaims().inNamespace(pvc.getMetadata().getNamespace())
                .withName(pvc.getMetadata().getName()).get();
        if (existing == null) {
            ResourceApplier.apply(client, pvc);
        }
    }

    /** ServiceMonitors only when configured, and for "auto" only when the Prometheus Operator API is served. */
    static final class MonitoringSupport {
        private final OperatorConfig.MonitorMode mode;
        private volatile Boolean served;
        private volatile long checkedAt;

        MonitoringSupport(OperatorConfig.MonitorMode mode) {
            this.mode = mode;
        }

        boolean enabled(KubernetesClient client) {
            if (mode == OperatorConfig.MonitorMode.FALSE) {
                return false;
            }
            long now = System.currentTimeMillis();
            if (served == null || now - checkedAt > 60_000) {
                try {
                    served = client.supports(ServiceMonitorRenderer.API_VERSION, ServiceMonitorRenderer.KIND);
                } catch (KubernetesClientException e) {
                    served = false;
                }
                checkedAt = now;
                if (!served && mode == OperatorConfig.MonitorMode.TRUE) {
                    LOG.warn("switchboard.operator.service-monitors=true but monitoring.coreos.com/v1 ServiceMonitor "
                            + "is not served by this cluster: skipping ServiceMonitors");
                }
            }
            return served;
        }

        void markUnavailable() {
            served = false;
            checkedAt = System.currentTimeMillis();
        }
    }

}
