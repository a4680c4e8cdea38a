package dev.switchboard.engine.table;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions In/NotIn/Exists/DoesNotExist). */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * True when {@code labels} satisfy {@code selector}. An empty selector matches everything, as in Kubernetes.
     * Throws IllegalArgumentException for an unknown operator or missing values.
     */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String op = r.getOperator();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean has = labels.containsKey(r.getKey());
        if (op == null) {
            throw new IllegalArgumentException("matchExpressions key " + r.getKey() + ": operator is missing");
        }
        return switch (op) {
            case "In" -> {
                requireValues(r, values);
                yield has && values.contains(labels.get(r.getKey()));
            }
            case "NotIn" -> {
                requireValues(r, values);
                yield !has || !values.contains(labels.get(r.getKey()));
            }
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> throw new IllegalArgumentException("matchExpressions key " + r.getKey() + ": unknown operator '"
                    + op + "', expected In, NotIn, Exists or DoesNotExist");
        };
    }

    private static void requireValues(LabelSelectorRequirement r, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("matchExpressions key " + r.getKey() + ": operator " + r.getOperator()
                    + " needs at least one value");
        }
    }
}
