package dev.switchboard.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Conditions of one object being recomputed. lastTransitionTime moves only when a condition's status changes,
 * so that repeated reconciles of an unchanged world produce byte-identical status.
 */
public final class ConditionSet {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    /** RoutingPolicy only, with spec.shadow: whether its shadow policy decides (True) or is skipped, and why. */
    public static final String SHADOW = "Shadow";

    private final Map<String, Condition> previous = new LinkedHashMap<>();
    private final Map<String, Condition> next = new LinkedHashMap<>();
    private final List<Transition> transitions = new ArrayList<>();
    private final long generation;
    private final String now;

    /** A condition whose status changed (or appeared), for Kubernetes Events. */
    public record Transition(String type, String status, String reason, String message) {
        /**
         * Warnings: something is wrong (Degraded=True, a shadow skipped: Shadow=False), rather than just in flux
         * (e.g. Ready=False while starting).
         */
        public boolean isWarning() {
            return DEGRADED.equals(type) && "True".equals(status) || SHADOW.equals(type) && "False".equals(status);
        }
    }

    public ConditionSet(List<Condition> existing, Long generation, Instant now) {
        if (existing != null) {
            existing.forEach(c -> previous.put(c.getType(), c));
        }
        this.generation = generation == null ? 0L : generation;
        this.now = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    }

    public ConditionSet set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        Condition old = previous.get(type);
        boolean changed = old == null || !value.equals(old.getStatus());
        String transitionTime = changed || old.getLastTransitionTime() == null ? now : old.getLastTransitionTime();
        next.put(type, new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(Objects.requireNonNull(reason, "reason"))
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transitionTime)
                .build());
        if (changed || !reason.equals(old.getReason())) {
            transitions.add(new Transition(type, value, reason, message));
        }
        return this;
    }

    /** The conditions set on this instance, in the order they were set. Conditions not set again are dropped. */
    public List<Condition> conditions() {
        return new ArrayList<>(next.values());
    }

    /** Conditions whose status or reason differ from before, in the order they were set. */
    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    public boolean isTrue(String type) {
        Condition c = next.get(type);
        return c != null && "True".equals(c.getStatus());
    }
}
