package dev.switchboard.operator.trust;

import dev.switchboard.api.v1alpha1.EngineSpec;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.ExpertModelSpec;
import dev.switchboard.api.v1alpha1.ExpertResources;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.api.v1alpha1.RoutingPolicySpec;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admin's {@link TrustPolicy} applied to a resource as written: every field that asks for more than the policy
 * allows, in field order. Pure. The chart's ValidatingAdmissionPolicy refuses the same at admission; the operator
 * re-checks in case admission was bypassed (no binding, a policy older than the resource, Audit mode).
 */
public final class TrustChecks {
    private TrustChecks() {
    }

    /** {@code defaultImage}: the operator's vLLM image, always allowed. */
    public static List<Violation> of(ExpertModel expert, TrustPolicy policy, String defaultImage) {
        List<Violation> violations = new ArrayList<>();
        ExpertModelSpec spec = expert.getSpec();
        if (spec == null) {
            return violations;
        }
        if (spec.external != null && spec.external.url != null) {
            policy.endpoints().check("spec.external.url", spec.external.url, spec.external.apiKeySecretRef != null)
                    .ifPresent(violations::add);
        }
        EngineSpec engine = spec.engine;
        if (engine != null) {
            image(violations, "spec.engine.image", engine.image, defaultImage, policy.engineImages(),
                    "trust.images.engine");
            if (!policy.allowTrustRemoteCode() && engine.args != null) {
                for (int i = 0; i < engine.args.size(); i++) {
                    if (enablesRemoteCode(engine.args.get(i))) {
                        violations.add(new Violation("spec.engine.args[" + i + "]",
                                Violation.REMOTE_CODE_NOT_ALLOWED, "'" + engine.args.get(i) + "' would run code "
                                + "from the model repository; trust.engine.allowTrustRemoteCode is false"));
                    }
                }
            }
            if (!policy.allowEngineEnv() && engine.env != null && !engine.env.isEmpty()) {
                violations.add(new Violation("spec.engine.env", Violation.ENV_NOT_ALLOWED,
                        "environment variables may not be set: trust.engine.allowEnv is false"));
            }
        }
        ExpertResources resources = spec.resources;
        if (resources != null) {
            if (resources.priorityClassName != null
                    && !policy.priorityClasses().contains(resources.priorityClassName)) {
                violations.add(new Violation("spec.resources.priorityClassName",
                        Violation.PRIORITY_CLASS_NOT_ALLOWED, "PriorityClass " + resources.priorityClassName
                        + " is not in trust.scheduling.priorityClasses " + policy.priorityClasses()));
            }
            if (resources.runtimeClassName != null && !policy.runtimeClasses().contains(resources.runtimeClassName)) {
                violations.add(new Violation("spec.resources.runtimeClassName", Violation.RUNTIME_CLASS_NOT_ALLOWED,
                        "RuntimeClass " + resources.runtimeClassName + " is not in trust.scheduling.runtimeClasses "
                                + policy.runtimeClasses()));
            }
            if (resources.tolerations != null) {
                for (int i = 0; i < resources.tolerations.size(); i++) {
                    Toleration t = resources.tolerations.get(i);
                    String key = t == null || t.getKey() == null ? "" : t.getKey();
                    if (!policy.tolerationKeys().contains("*") && (key.isEmpty()
                            || !policy.tolerationKeys().contains(key))) {
                        violations.add(new Violation("spec.resources.tolerations[" + i + "]",
                                Violation.TOLERATION_NOT_ALLOWED, (key.isEmpty() ? "a toleration without key "
                                + "(it tolerates every taint)" : "taint key " + key)
                                + " is not in trust.scheduling.tolerationKeys " + policy.tolerationKeys()));
                    }
                }
            }
            if (resources.affinity != null && !policy.allowAffinity()) {
                violations.add(new Violation("spec.resources.affinity", Violation.AFFINITY_NOT_ALLOWED,
                        "affinity may not be set: trust.scheduling.allowAffinity is false"));
            }
        }
        return violations;
    }

    /** {@code defaultImage}: the operator's router image, always allowed. */
    public static List<Violation> of(RoutingPolicy routingPolicy, TrustPolicy policy, String defaultImage) {
        List<Violation> violations = new ArrayList<>();
        RoutingPolicySpec spec = routingPolicy.getSpec();
        if (spec == null) {
            return violations;
        }
        if (spec.router != null) {
            image(violations, "spec.router.image", spec.router.image, defaultImage, policy.routerImages(),
                    "trust.images.router");
        }
        if (spec.embedding != null && spec.embedding.endpoint != null && spec.embedding.endpoint.url != null) {
            policy.endpoints().check("spec.embedding.endpoint.url", spec.embedding.endpoint.url,
                    spec.embedding.endpoint.apiKeySecretRef != null).ifPresent(violations::add);
        }
        return violations;
    }

    /** vLLM reads --trust-remote-code, its underscore spelling and any unambiguous prefix of it. */
    static boolean enablesRemoteCode(String arg) {
        return arg != null && arg.toLowerCase(Locale.ROOT).replace('_', '-').startsWith("--trust");
    }

    private static void image(List<Violation> violations, String field, String image, String defaultImage,
                              List<String> prefixes, String rule) {
        if (image == null || image.isBlank() || image.equals(defaultImage)) {
            return;
        }
        if (prefixes.stream().noneMatch(p -> !p.isEmpty() && image.startsWith(p))) {
            violations.add(new Violation(field, Violation.IMAGE_NOT_ALLOWED, "image " + image + " is neither the "
                    + "default (" + defaultImage + ") nor under a prefix in " + rule + " " + prefixes));
        }
    }
}
