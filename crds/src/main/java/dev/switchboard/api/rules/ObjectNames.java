package dev.switchboard.api.rules;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.Names;
import dev.switchboard.api.v1alpha1.RoutingPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a resource's name can become the names of the objects the operator derives from it: an expert's Service
 * (its own name), a policy's router Service ({@code <name>-router}). Both are DNS-1035 labels of at most 63
 * characters. The CRDs refuse such names with CEL on {@code metadata.name}; the operator checks again before it
 * creates anything.
 */
public final class ObjectNames {
    private static final java.util.regex.Pattern DNS_1035 = java.util.regex.Pattern.compile(Names.DNS_1035_LABEL);

    private ObjectNames() {
    }

    /** The expert's Service, Deployment, weights-cache claim and pod label are named after it. */
    public static List<Problem> of(ExpertModel expert) {
        return check(expert.getMetadata().getName(), Names.MAX_EXPERT_NAME, "the expert's Service");
    }

    /** The policy's router objects are named {@code <name>-router}. */
    public static List<Problem> of(RoutingPolicy policy) {
        return check(policy.getMetadata().getName(), Names.MAX_POLICY_NAME,
                "the router's Service <name>" + Names.ROUTER_SUFFIX);
    }

    private static List<Problem> check(String name, int max, String what) {
        List<Problem> problems = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            problems.add(new Problem("metadata.name", "missing"));
            return problems;
        }
        if (name.length() > max) {
            problems.add(new Problem("metadata.name", "'" + name + "' has " + name.length() + " characters, at most "
                    + max + " fit: it names " + what));
        }
        if (!DNS_1035.matcher(name).matches()) {
            problems.add(new Problem("metadata.name", "'" + name + "' is not a DNS-1035 label (lower-case letters, "
                    + "digits and '-', starting with a letter, no dots): it names " + what));
        }
        return problems;
    }
}
