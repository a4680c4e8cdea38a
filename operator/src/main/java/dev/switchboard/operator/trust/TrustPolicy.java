package dev.switchboard.operator.trust;

import java.util.List;
import java.util.Objects;

/**
 * What the admin lets the authors of ExpertModels and RoutingPolicies ask the operator for (Helm values
 * {@code trust.*}, rendered both into the operator's configuration and into the chart's ValidatingAdmissionPolicy).
 * Everything a field could grant beyond what its author holds is off unless listed here; docs/security.md.
 *
 * @param engineImages         image prefixes allowed in ExpertModel {@code spec.engine.image} (the operator's
 *                             default vLLM image is always allowed)
 * @param routerImages         image prefixes allowed in RoutingPolicy {@code spec.router.image} (the default router
 *                             image is always allowed)
 * @param priorityClasses      PriorityClass names allowed in {@code spec.resources.priorityClassName}
 * @param runtimeClasses       RuntimeClass names allowed in {@code spec.resources.runtimeClassName}
 * @param tolerationKeys       taint keys {@code spec.resources.tolerations} may tolerate; {@code *} allows any key,
 *                             including a toleration without key (which tolerates every taint)
 * @param allowAffinity        whether {@code spec.resources.affinity} may be set
 * @param allowEngineEnv       whether {@code spec.engine.env} may be set
 * @param allowTrustRemoteCode whether {@code spec.engine.args} may enable vLLM's --trust-remote-code (runs code from
 *                             the model repository in the expert's pods)
 * @param endpoints            where external experts and embedding endpoints may point
 */
public record TrustPolicy(List<String> engineImages, List<String> routerImages, List<String> priorityClasses,
                          List<String> runtimeClasses, List<String> tolerationKeys, boolean allowAffinity,
                          boolean allowEngineEnv, boolean allowTrustRemoteCode, EndpointRules endpoints) {

    public TrustPolicy {
        engineImages = List.copyOf(engineImages);
        routerImages = List.copyOf(routerImages);
        priorityClasses = List.copyOf(priorityClasses);
        runtimeClasses = List.copyOf(runtimeClasses);
        tolerationKeys = List.copyOf(tolerationKeys);
        Objects.requireNonNull(endpoints, "endpoints");
    }

    /**
     * The operator's built-in policy when nothing is configured: nothing beyond the default images, no toleration,
     * any public endpoint (the chart's defaults add the toleration key nvidia.com/gpu).
     */
    public static TrustPolicy strict() {
        return new TrustPolicy(List.of(), List.of(), List.of(), List.of(), List.of(), false, false, false,
                EndpointRules.defaults());
    }

    public TrustPolicy withTolerationKeys(List<String> keys) {
        return new TrustPolicy(engineImages, routerImages, priorityClasses, runtimeClasses, keys, allowAffinity,
                allowEngineEnv, allowTrustRemoteCode, endpoints);
    }

    public TrustPolicy withEndpoints(EndpointRules rules) {
        return new TrustPolicy(engineImages, routerImages, priorityClasses, runtimeClasses, tolerationKeys,
                allowAffinity, allowEngineEnv, allowTrustRemoteCode, rules);
    }

    public TrustPolicy withAllowEngineEnv(boolean allow) {
        return new TrustPolicy(engineImages, routerImages, priorityClasses, runtimeClasses, tolerationKeys,
                allowAffinity, allow, allowTrustRemoteCode, endpoints);
    }

    public TrustPolicy withEngineImages(List<String> prefixes) {
        return new TrustPolicy(prefixes, routerImages, priorityClasses, runtimeClasses, tolerationKeys,
                allowAffinity, allowEngineEnv, allowTrustRemoteCode, endpoints);
    }
}
