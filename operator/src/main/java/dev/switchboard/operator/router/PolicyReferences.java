package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.CategoryRoute;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.api.v1alpha1.WeightedExpert;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which ExpertModels a policy selects or names, and which Secrets its router may read. Pure. */
public final class PolicyReferences {
    private PolicyReferences() {
    }

    /** Expert names the policy mentions explicitly: spec.experts.names, fallback, strategy routes. */
    public static Set<String> namedExperts(RoutingPolicy policy) {
        Set<String> names = new LinkedHashSet<>();
        RoutingPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return names;
        }
        if (spec.experts != null && spec.experts.names != null) {
            names.addAll(spec.experts.names);
        }
        if (spec.fallback != null) {
            names.add(spec.fallback);
        }
        if (spec.strategy != null) {
            if (spec.strategy.category != null && spec.strategy.category.routes != null) {
                for (CategoryRoute route : spec.strategy.category.routes) {
                    addWeighted(names, route.experts);
                }
            }
            if (spec.strategy.staticWeights != null) {
                addWeighted(names, spec.strategy.staticWeights.experts);
            }
            if (spec.strategy.metaLLM != null && spec.strategy.metaLLM.expert != null) {
                names.add(spec.strategy.metaLLM.expert);
            }
        }
        names.removeIf(n -> n == null || n.isBlank());
        return names;
    }

    private static void addWeighted(Set<String> names, List<WeightedExpert> experts) {
        if (experts != null) {
            experts.forEach(e -> names.add(e.name));
        }
    }

    /** Experts of the namespace matched by spec.experts.selector, by name. */
    public static Set<String> selectedExperts(RoutingPolicy policy, Collection<ExpertModel> experts) {
        Set<String> names = new TreeSet<>();
        LabelSelector selector = policy.getSpec() == null || policy.getSpec().experts == null ? null
                : policy.getSpec().experts.selector;
        if (selector == null) {
            return names;
        }
        for (ExpertModel expert : experts) {
            Map<String, String> labels = expert.getMetadata().getLabels() == null ? Map.of()
                    : expert.getMetadata().getLabels();
            if (matches(selector, labels)) {
                names.add(expert.getMetadata().getName());
            }
        }
        return names;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> labels.containsKey(r.getKey());
                    case "DoesNotExist" -> !labels.containsKey(r.getKey());
                    default -> throw new IllegalArgumentException("spec.experts.selector: unknown operator '"
                            + r.getOperator() + "' (use In, NotIn, Exists or DoesNotExist)");
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Secrets the router needs: API keys of the selected external experts and of the embedding endpoint. */
    public static List<String> secretNames(RoutingPolicy policy, Collection<ExpertModel> selected) {
        Set<String> names = new TreeSet<>();
        for (ExpertModel expert : selected) {
            if (expert.isExternal() && expert.getSpec().external.apiKeySecretRef != null) {
                names.add(expert.getSpec().external.apiKeySecretRef.name);
            }
        }
        if (policy.getSpec() != null && policy.getSpec().embedding != null
                && policy.getSpec().embedding.endpoint != null) {
            SecretKeyRef ref = policy.getSpec().embedding.endpoint.apiKeySecretRef;
            if (ref != null) {
                names.add(ref.name);
            }
        }
        return new ArrayList<>(names);
    }

    /** ConfigMap holding the trained router artifact, if any. */
    public static List<String> configMapNames(RoutingPolicy policy) {
        if (policy.getSpec() == null || policy.getSpec().strategy == null || policy.getSpec().strategy.learned == null
                || policy.getSpec().strategy.learned.configMapRef == null) {
            return List.of();
        }
        return List.of(policy.getSpec().strategy.learned.configMapRef);
    }
}
