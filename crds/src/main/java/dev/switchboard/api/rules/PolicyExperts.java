package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ExpertModels a RoutingPolicy routes among: those of its namespace matched by {@code spec.experts.selector},
 * plus {@code spec.experts.names}, plus {@code spec.fallback}. A listed name that does not exist (yet) is one of
 * the policy's experts all the same, {@link #missing() missing}: not routable, reported by the operator. The
 * experts its strategy names ({@code strategy.static}, {@code strategy.category.routes}, {@code strategy.metaLLM})
 * must be among these ({@link PolicyRules}).
 */
public final class PolicyExperts {
    private final RoutingPolicy policy;
    private final SortedSet<String> names;
    private final SortedMap<String, ExpertModel> found;
    private final SortedSet<String> inNamespace;
    private final SortedSet<String> embedders;

    private PolicyExperts(RoutingPolicy policy, SortedSet<String> names, SortedMap<String, ExpertModel> found,
                          SortedSet<String> inNamespace, SortedSet<String> embedders) {
        this.policy = policy;
        this.embedders = Collections.unmodifiableSortedSet(embedders);
        this.names = Collections.unmodifiableSortedSet(names);
        this.found = Collections.unmodifiableSortedMap(found);
        this.inNamespace = Collections.unmodifiableSortedSet(inNamespace);
    }

    /**
     * Resolves the policy's experts among {@code experts} (ExpertModels of other namespaces are ignored). A
     * selector with a problem ({@link LabelSelectors#problems}) selects nothing; {@link PolicyRules} reports it.
     */
    public static PolicyExperts resolve(RoutingPolicy policy, Collection<ExpertModel> experts) {
        String namespace = namespace(policy);
        TreeMap<String, ExpertModel> inNamespace = new TreeMap<>();
        for (ExpertModel expert : experts) {
            if (namespace.equals(namespace(expert))) {
                inNamespace.put(expert.getMetadata().getName(), expert);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        RoutingPolicySpec spec = policy.getSpec();
        if (spec != null && spec.experts != null) {
            LabelSelector selector = spec.experts.selector;
            if (selector != null && LabelSelectors.problems("spec.experts.selector", selector).isEmpty()) {
                inNamespace.forEach((name, expert) -> {
                    // an embedding expert is never routed: a selector passes over it
                    if (!expert.embeds() && LabelSelectors.matches(selector, expert.getMetadata().getLabels())) {
                        names.add(name);
                    }
                });
            }
            if (spec.experts.names != null) {
                spec.experts.names.stream().filter(n -> n != null && !n.isBlank()).forEach(names::add);
            }
        }
        if (spec != null && spec.fallback != null && !spec.fallback.isBlank()) {
            names.add(spec.fallback);
        }
        TreeSet<String> embedders = new TreeSet<>();
        for (String name : names) {
            if (inNamespace.containsKey(name) && inNamespace.get(name).embeds()) {
                embedders.add(name);
            }
        }
        names.removeAll(embedders);
        TreeMap<String, ExpertModel> found = new TreeMap<>();
        for (String name : names) {
            if (inNamespace.containsKey(name)) {
                found.put(name, inNamespace.get(name));
            }
        }
        return new PolicyExperts(policy, names, found, new TreeSet<>(inNamespace.keySet()), embedders);
    }

    /** The namespace of {@code resource}; {@code default} when the manifest names none (standalone files). */
    static String namespace(HasMetadata resource) {
        String namespace = resource.getMetadata().getNamespace();
        return namespace == null ? "default" : namespace;
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /** Every expert of the policy, existing or not, by name. */
    public SortedSet<String> names() {
        return names;
    }

    /** The policy's experts that exist, by name. */
    public SortedMap<String, ExpertModel> found() {
        return found;
    }

    /**
     * Experts that spec.experts.names or spec.fallback name but that serve embeddings (spec.task: embed): never
     * among the policy's experts ({@link PolicyRules} reports them).
     */
    public SortedSet<String> embedders() {
        return embedders;
    }

    /** The policy's experts that do not exist. */
    public SortedSet<String> missing() {
        TreeSet<String> missing = new TreeSet<>(names);
        missing.removeAll(found.keySet());
        return missing;
    }

    public boolean contains(String name) {
        return names.contains(name);
    }

    /** Whether an ExpertModel {@code name} exists in the policy's namespace, one of the policy's experts or not. */
    public boolean existsInNamespace(String name) {
        return inNamespace.contains(name);
    }

    /**
     * The Secrets the policy's router reads, sorted: the API keys of its existing experts ({@link ExpertApiKey}: an
     * external expert's, or the namespace's expert API key for a deployed one) and of its embedding endpoint.
     */
    public SortedSet<String> routerSecrets() {
        TreeSet<String> secrets = new TreeSet<>();
        References.of(policy).at(References.EMBEDDING_API_KEY).ifPresent(r -> secrets.add(r.name()));
        for (ExpertModel expert : found.values()) {
            ExpertApiKey.of(expert).ifPresent(k -> secrets.add(k.ref().name));
        }
        return secrets;
    }
}
