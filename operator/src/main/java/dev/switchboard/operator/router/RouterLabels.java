package dev.switchboard.operator.router;

import dev.switchboard.api.v1alpha1.RoutingPolicy;
import dev.switchboard.operator.expert.ExpertLabels;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels of a policy's router objects; pods are selected by {@link #POLICY} only. */
public final class RouterLabels {
    public static final String POLICY = "switchboard.dev/policy";

    private RouterLabels() {
    }

    public static String routerName(RoutingPolicy policy) {
        return policy.getMetadata().getName() + "-router";
    }

    public static Map<String, String> of(RoutingPolicy policy) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ExpertLabels.NAME, "switchboard-router");
        labels.put(ExpertLabels.INSTANCE, routerName(policy));
        labels.put(ExpertLabels.COMPONENT, "router");
        labels.put(ExpertLabels.MANAGED_BY, ExpertLabels.OPERATOR);
        labels.put(ExpertLabels.PART_OF, "switchboard");
        labels.put(POLICY, policy.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> selector(RoutingPolicy policy) {
        return Map.of(POLICY, policy.getMetadata().getName());
    }
}
