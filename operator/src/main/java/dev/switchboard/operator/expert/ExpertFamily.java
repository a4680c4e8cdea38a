package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.DemandStatus;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who an expert's reconcile depends on besides its own objects: a base and its adapter experts reconcile each
 * other (an adapter appears, goes, or its base changes or is deleted), and an autoscaled expert follows the demand
 * routers publish in RoutingPolicy status.
 */
final class ExpertFamily {
    static final String BY_BASE = "switchboard-adapter-base";
    /**
     * Every ExpertModel, indexed by adapter base. Lookups for relatives go to this informer's cache, not to the
     * primary cache: this informer's events are what trigger the reconciles that ask, and its cache holds an object
     * (or no longer holds a deleted one) before it delivers the event. The primary cache, a separate informer, can
     * lag it: an adapter reconciled on its base's deletion still found the base there and stayed Ready until the
     * next resync.
     */
    private volatile InformerEventSource<ExpertModel, ExpertModel> relatives;

    /** The adapter experts naming {@code base}, from the relatives informer's cache. */
    List<ExpertModel> adaptersOf(String namespace, String base) {
        InformerEventSource<ExpertModel, ExpertModel> source = relatives;
        return source == null ? List.of() : source.byIndex(BY_BASE, namespace + "/" + base);
    }

    ExpertModel get(String namespace, String name) {
        InformerEventSource<ExpertModel, ExpertModel> source = relatives;
        return source == null ? null : source.get(new ResourceID(name, namespace)).orElse(null);
    }

    /** An expert's name and those of its adapters: the model names whose demand it serves. */
    Set<String> servedNames(ExpertModel expert) {
        Set<String> names = new HashSet<>();
        names.add(expert.getMetadata().getName());
        adaptersOf(expert.getMetadata().getNamespace(), expert.getMetadata().getName())
                .forEach(a -> names.add(a.getMetadata().getName()));
        return names;
    }

    /** Adapter → its base; base → its adapters. Spec changes, deletions and base readiness count. */
    InformerEventSource<ExpertModel, ExpertModel> relatives(EventSourceContext<ExpertModel> context) {
        InformerEventSource<ExpertModel, ExpertModel> source = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ExpertModel.class, ExpertModel.class)
                .withName("expert-relatives")
                .withSecondaryToPrimaryMapper((ExpertModel e) -> {
                    Set<ResourceID> out = new HashSet<>();
                    String ns = e.getMetadata().getNamespace();
                    if (e.isAdapter() && e.getSpec().adapter.base != null) {
                        out.add(new ResourceID(e.getSpec().adapter.base, ns));
                    }
                    adaptersOf(ns, e.getMetadata().getName())
                            .forEach(a -> out.add(new ResourceID(a.getMetadata().getName(), ns)));
                    return out;
                })
                .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getMetadata().getGeneration(),
                        older.getMetadata().getGeneration())
                        || !Objects.equals(ready(newer), ready(older))
                        || !Objects.equals(endpoint(newer), endpoint(older)))
                .build(), context);
        source.addIndexers(Map.of(BY_BASE, e -> e.isAdapter() && e.getSpec().adapter.base != null
                ? List.of(e.getMetadata().getNamespace() + "/" + e.getSpec().adapter.base) : List.of()));
        relatives = source;
        return source;
    }

    /** RoutingPolicy → the autoscaled experts (or bases of adapters) its routers report demand for. */
    InformerEventSource<RoutingPolicy, ExpertModel> demand(EventSourceContext<ExpertModel> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration
                .from(RoutingPolicy.class, ExpertModel.class)
                .withName("expert-demand")
                .withSecondaryToPrimaryMapper((RoutingPolicy p) -> {
                    Set<ResourceID> out = new HashSet<>();
                    if (p.getStatus() == null || p.getStatus().demand == null) {
                        return out;
                    }
                    String ns = p.getMetadata().getNamespace();
                    for (DemandStatus report : p.getStatus().demand.values()) {
                        if (report == null || report.experts == null) {
                            continue;
                        }
                        for (String name : report.experts.keySet()) {
                            ExpertModel e = get(ns, name);
                            if (e != null && e.isAdapter()) {
                                e = get(ns, e.getSpec().adapter.base);
                            }
                            if (e != null && e.getSpec() != null && e.getSpec().autoscaling != null) {
                                out.add(ResourceID.fromResource(e));
                            }
                        }
                    }
                    return out;
                })
                .build(), context);
    }

    private static Integer ready(ExpertModel e) {
        return e.getStatus() == null ? null : e.getStatus().readyReplicas;
    }

    private static String endpoint(ExpertModel e) {
        return e.getStatus() == null ? null : e.getStatus().endpoint;
    }
}
