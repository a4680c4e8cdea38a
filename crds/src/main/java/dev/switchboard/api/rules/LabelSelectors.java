package dev.switchboard.api.rules;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Kubernetes label-selector semantics: matchLabels AND matchExpressions (In, NotIn, Exists, DoesNotExist). */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * What is wrong with {@code selector} found at {@code field}, as the API server would refuse it for a built-in
     * kind: a missing or unknown operator, In/NotIn without values.
     */
    public static List<Problem> problems(String field, LabelSelector selector) {
        List<Problem> problems = new ArrayList<>();
        List<LabelSelectorRequirement> expressions = selector == null || selector.getMatchExpressions() == null
                ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String at = field + ".matchExpressions[" + i + "]";
            String problem = problem(expressions.get(i));
            if (problem != null) {
                problems.add(new Problem(at, problem));
            }
        }
        return problems;
    }

    /**
     * True when {@code labels} satisfy {@code selector}. An empty selector matches everything, as in Kubernetes.
     * Throws IllegalArgumentException for a selector {@link #problems} would report.
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
                String problem = problem(r);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                if (!matches(r, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        boolean has = labels.containsKey(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> has && r.getValues().contains(labels.get(r.getKey()));
            case "NotIn" -> !has || !r.getValues().contains(labels.get(r.getKey()));
            case "Exists" -> has;
            default -> !has; // DoesNotExist
        };
    }

    private static String problem(LabelSelectorRequirement r) {
        String op = r.getOperator();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        if (op == null) {
            return "key " + r.getKey() + ": operator is missing";
        }
        return switch (op) {
            case "In", "NotIn" -> values.isEmpty()
                    ? "key " + r.getKey() + ": operator " + op + " needs at least one value" : null;
            case "Exists", "DoesNotExist" -> null;
            default -> "key " + r.getKey() + ": unknown operator '" + op
                    + "', expected In, NotIn, Exists or DoesNotExist";
        };
    }
}
