package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.CategoryRoute;
import dev.switchboard.api.v1alpha1.EnvEntry;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.api.v1alpha1.StrategySpec;
import dev.switchboard.api.v1alpha1.WeightedExpert;
import io.fabric8.kubernetes.api.model.EnvVarSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every object a resource names in its spec, in field order, whether or not the part of the spec naming it is in
 * use (e.g. {@code strategy.static} of a policy whose strategy type is {@code category}): what the manifest points
 * at. Label selectors are not references; {@link PolicyExperts} resolves them.
 */
public final class References {
    /** The API key an external expert's callers (the router, the operator's probe) send. */
    public static final String EXTERNAL_API_KEY = "spec.external.apiKeySecretRef";
    /** The Hugging Face token or S3 credentials of a deployed expert's vLLM pods. */
    public static final String MODEL_TOKEN = "spec.model.tokenSecretRef";
    /** The policy deciding in shadow on a policy's requests. */
    public static final String SHADOW_POLICY = "spec.shadow.policy";
    /** The API key of a policy's embedding endpoint. */
    public static final String EMBEDDING_API_KEY = "spec.embedding.endpoint.apiKeySecretRef";

    private final List<Reference> all;

    private References(List<Reference> all) {
        this.all = List.copyOf(all);
    }

    /**
     * ExpertModels (names, fallback, strategy settings), the artifact ConfigMap, Secrets and the shadow RoutingPolicy
     * of a RoutingPolicy.
     */
    public static References of(RoutingPolicy policy) {
        List<Reference> refs = new ArrayList<>();
        RoutingPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return new References(refs);
        }
        if (spec.experts != null && spec.experts.names != null) {
            for (int i = 0; i < spec.experts.names.size(); i++) {
                expert(refs, spec.experts.names.get(i), "spec.experts.names[" + i + "]");
            }
        }
        expert(refs, spec.fallback, "spec.fallback");
        StrategySpec strategy = spec.strategy;
        if (strategy != null) {
            if (strategy.staticWeights != null) {
                weighted(refs, strategy.staticWeights.experts, "spec.strategy.static.experts");
            }
            if (strategy.category != null && strategy.category.routes != null) {
                List<CategoryRoute> routes = strategy.category.routes;
                for (int i = 0; i < routes.size(); i++) {
                    if (routes.get(i) != null) {
                        weighted(refs, routes.get(i).experts, "spec.strategy.category.routes[" + i + "].experts");
                    }
                }
            }
            if (strategy.metaLLM != null) {
                expert(refs, strategy.metaLLM.expert, "spec.strategy.metaLLM.expert");
            }
            if (strategy.learned != null) {
                add(refs, Reference.Kind.CONFIG_MAP, strategy.learned.configMapRef,
                        "spec.strategy.learned.configMapRef");
            }
        }
        if (spec.embedding != null && spec.embedding.endpoint != null) {
            secret(refs, spec.embedding.endpoint.apiKeySecretRef, EMBEDDING_API_KEY);
        }
        if (spec.shadow != null) {
            add(refs, Reference.Kind.ROUTING_POLICY, spec.shadow.policy, SHADOW_POLICY);
        }
        return new References(refs);
    }

    /**
     * The Secrets and ConfigMaps of an ExpertModel: its model token, its external endpoint's API key, and those its
     * engine's environment variables take values from ({@code spec.engine.env[i].valueFrom}).
     */
    public static References of(ExpertModel expert) {
        List<Reference> refs = new ArrayList<>();
        ExpertModelSpec spec = expert.getSpec();
        if (spec != null && spec.model != null) {
            secret(refs, spec.model.tokenSecretRef, MODEL_TOKEN);
        }
        if (spec != null && spec.external != null) {
            secret(refs, spec.external.apiKeySecretRef, EXTERNAL_API_KEY);
        }
        if (spec != null && spec.engine != null && spec.engine.env != null) {
            for (int i = 0; i < spec.engine.env.size(); i++) {
                EnvEntry env = spec.engine.env.get(i);
                EnvVarSource from = env == null ? null : env.valueFrom;
                String field = "spec.engine.env[" + i + "].valueFrom.";
                if (from != null && from.getSecretKeyRef() != null) {
                    add(refs, Reference.Kind.SECRET, from.getSecretKeyRef().getName(), field + "secretKeyRef");
                }
                if (from != null && from.getConfigMapKeyRef() != null) {
                    add(refs, Reference.Kind.CONFIG_MAP, from.getConfigMapKeyRef().getName(),
                            field + "configMapKeyRef");
                }
            }
        }
        return new References(refs);
    }

    public List<Reference> all() {
        return all;
    }

    public List<Reference> ofKind(Reference.Kind kind) {
        return all.stream().filter(r -> r.kind() == kind).toList();
    }

    /** Distinct names of {@code kind}, sorted. */
    public SortedSet<String> names(Reference.Kind kind) {
        TreeSet<String> names = new TreeSet<>();
        ofKind(kind).forEach(r -> names.add(r.name()));
        return names;
    }

    /** The reference made by {@code field}, if that field names something. */
    public Optional<Reference> at(String field) {
        return all.stream().filter(r -> r.field().equals(field)).findFirst();
    }

    private static void weighted(List<Reference> refs, List<WeightedExpert> experts, String field) {
        if (experts != null) {
            for (int i = 0; i < experts.size(); i++) {
                if (experts.get(i) != null) {
                    expert(refs, experts.get(i).name, field + "[" + i + "].name");
                }
            }
        }
    }

    private static void expert(List<Reference> refs, String name, String field) {
        add(refs, Reference.Kind.EXPERT_MODEL, name, field);
    }

    private static void secret(List<Reference> refs, SecretKeyRef ref, String field) {
        if (ref != null) {
            add(refs, Reference.Kind.SECRET, ref.name, field);
        }
    }

    private static void add(List<Reference> refs, Reference.Kind kind, String name, String field) {
        if (name != null && !name.isBlank()) {
            refs.add(new Reference(kind, name, field));
        }
    }
}
