package dev.switchboard.operator.expert;

import dev.switchboard.api.v1alpha1.ExpertModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on everything the operator creates for an expert. The pod selector uses only {@link #EXPERT}. */
public final class ExpertLabels {
    public static final String EXPERT = "switchboard.dev/expert";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String OPERATOR = "switchboard-operator";
    /** User labels with this prefix (e.g. switchboard.dev/composition, which policies select on) are copied. */
    public static final String USER_PREFIX = "switchboard.dev/";

    private ExpertLabels() {
    }

    public static Map<String, String> of(ExpertModel expert) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> own = expert.getMetadata().getLabels();
        if (own != null) {
            own.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(USER_PREFIX))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> labels.put(e.getKey(), e.getValue()));
        }
        labels.put(NAME, "vllm");
        labels.put(INSTANCE, expert.getMetadata().getName());
        labels.put(COMPONENT, "expert");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(PART_OF, "switchboard");
        labels.put(EXPERT, expert.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> selector(String expertName) {
        return Map.of(EXPERT, expertName);
    }

    public static String selectorString(String expertName) {
        return EXPERT + "=" + expertName;
    }
}
