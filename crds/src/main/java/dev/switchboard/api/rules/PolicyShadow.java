package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shadow of a live RoutingPolicy ({@code spec.shadow.policy}) as the operator and the router both read it: the
 * shadow policy when it can decide in shadow, else why not. A shadow that cannot decide never affects the live
 * policy (it stays Ready and is served); the router skips the shadow and the operator reports the reason in the
 * live policy's {@code Shadow} condition.
 *
 * @param shadow  the shadow policy when usable ({@link #usable()}), else null
 * @param reason  {@link #SHADOWING} or the CamelCase reason it is skipped
 * @param message for people, naming the field
 */
public record PolicyShadow(RoutingPolicy shadow, String reason, String message) {
    public static final String SHADOWING = "Shadowing";
    public static final String NOT_FOUND = "ShadowNotFound";
    public static final String INVALID = "ShadowInvalid";
    public static final String UNSUPPORTED = "ShadowUnsupported";

    /** Strategy types a shadow may not have: they decide by calling a model, and a shadow calls nothing. */
    public static final List<String> MODEL_CALLING_STRATEGIES = List.of("metaLLM");

    /**
     * The shadow of {@code live}, looked up among {@code policies} (those of other namespaces are ignored), its
     * experts among {@code experts}; empty when {@code live} names none.
     */
    public static Optional<PolicyShadow> of(RoutingPolicy live, Collection<RoutingPolicy> policies,
                                            Collection<ExpertModel> experts) {
        RoutingPolicySpec spec = live.getSpec();
        if (spec == null || spec.shadow == null || spec.shadow.policy == null || spec.shadow.policy.isBlank()) {
            return Optional.empty();
        }
        String name = spec.shadow.policy;
        String namespace = PolicyExperts.namespace(live);
        String field = References.SHADOW_POLICY;
        if (name.equals(live.getMetadata().getName())) {
            return Optional.of(skipped(INVALID, field + ": names this policy itself; a policy cannot shadow itself"));
        }
        RoutingPolicy shadow = policies.stream()
                .filter(p -> namespace.equals(PolicyExperts.namespace(p)) && name.equals(p.getMetadata().getName()))
                .findFirst().orElse(null);
        if (shadow == null) {
            return Optional.of(skipped(NOT_FOUND, field + ": no RoutingPolicy '" + name + "' in namespace "
                    + namespace + "; no shadow decisions are made until it exists"));
        }
        List<Problem> problems = PolicyRules.check(PolicyExperts.resolve(shadow, experts));
        if (!problems.isEmpty()) {
            return Optional.of(skipped(INVALID, field + ": RoutingPolicy '" + name + "' cannot decide: "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("; "))));
        }
        String type = shadow.getSpec().strategy.type;
        if (MODEL_CALLING_STRATEGIES.contains(type)) {
            return Optional.of(skipped(UNSUPPORTED, field + ": RoutingPolicy '" + name + "' uses strategy " + type
                    + ", which decides by calling a model; a shadow decides without calling any model"));
        }
        return Optional.of(new PolicyShadow(shadow, SHADOWING, "RoutingPolicy '" + name
                + "' decides in shadow on this policy's requests"));
    }

    private static PolicyShadow skipped(String reason, String message) {
        return new PolicyShadow(null, reason, message);
    }

    /** True when the shadow can decide. */
    public boolean usable() {
        return shadow != null;
    }
}
