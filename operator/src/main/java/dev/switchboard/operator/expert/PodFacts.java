package dev.switchboard.operator.expert;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import dev.switchboard.operator.status.Reasons;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one vLLM pod is doing, read from its conditions and container states: the most telling fact wins.
 *
 * @param reason   a {@link Reasons} constant
 * @param message  human message (the scheduler's or kubelet's own words when there are some)
 * @param failing  true for Degraded reasons, false for Progressing ones
 * @param severity orders facts across pods: the highest is reported
 */
public record PodFacts(String reason, String message, boolean failing, int severity) {

    static final List<String> PULL_FAILURES = List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "ErrImageNeverPull");

    /** Empty when the pod is ready (nothing to report). */
    public static Optional<PodFacts> of(Pod pod, Duration startupBudget, Instant now) {
        String podName = pod.getMetadata().getName();
        if (isReady(pod)) {
            return Optional.empty();
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Optional<PodCondition> scheduled = condition(pod, "PodScheduled");
        if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
            PodCondition c = scheduled.get();
            if ("Unschedulable".equals(c.getReason())) {
                return Optional.of(new PodFacts(Reasons.UNSCHEDULABLE,
                        "pod " + podName + " cannot be scheduled: " + nonEmpty(c.getMessage(), "no reason given"),
                        true, 60));
            }
            return Optional.of(new PodFacts(Reasons.SCHEDULING, "pod " + podName + " is waiting for a node", false,
                    10));
        }
        if (scheduled.isEmpty() && (pod.getSpec() == null || pod.getSpec().getNodeName() == null)) {
            return Optional.of(new PodFacts(Reasons.SCHEDULING, "pod " + podName + " is waiting for a node", false,
                    10));
        }
        List<ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        Optional<ContainerStatus> engine = statuses.stream()
                .filter(s -> ExpertDeploymentRenderer.CONTAINER.equals(s.getName())).findFirst();
        if (engine.isEmpty()) {
            return Optional.of(new PodFacts(Reasons.PULLING_IMAGE, "pod " + podName
                    + " is scheduled; pulling the vLLM image and creating the container", false, 20));
        }
        ContainerStatus cs = engine.get();
        // The kubelet kills a container whose startup probe never passed within the budget; it then restarts
        // (and eventually backs off). A previous run that lasted about the whole budget tells that story.
        Optional<Duration> killedAfter = killedByStartupProbe(cs, startupBudget);
        if (killedAfter.isPresent()) {
            return Optional.of(new PodFacts(Reasons.STARTUP_TOO_SLOW, "vLLM in pod " + podName
                    + " did not pass its startup probe within " + minutes(startupBudget) + " and was restarted ("
                    + nonNull(cs.getRestartCount()) + " restarts); the model may be too large to download or load "
                    + "in time: raise switchboard.operator.startup-probe-budget or use a weights cache", true, 42));
        }
        if (cs.getState() != null && cs.getState().getWaiting() != null) {
            String waiting = nonEmpty(cs.getState().getWaiting().getReason(), "");
            String detail = nonEmpty(cs.getState().getWaiting().getMessage(), waiting);
            if (PULL_FAILURES.contains(waiting)) {
                return Optional.of(new PodFacts(Reasons.IMAGE_PULL_BACK_OFF,
                        "pod " + podName + " cannot pull image " + cs.getImage() + ": " + detail, true, 50));
            }
            if ("CrashLoopBackOff".equals(waiting)) {
                return Optional.of(new PodFacts(Reasons.CRASH_LOOP_BACK_OFF, "vLLM in pod " + podName
                        + " keeps crashing (" + nonNull(cs.getRestartCount()) + " restarts)" + lastExit(cs), true, 40));
            }
            if ("CreateContainerConfigError".equals(waiting) || "CreateContainerError".equals(waiting)) {
                return Optional.of(new PodFacts(Reasons.CONTAINER_CONFIG_ERROR,
                        "pod " + podName + " cannot start its container: " + detail, true, 45));
            }
            return Optional.of(new PodFacts(Reasons.PULLING_IMAGE,
                    "pod " + podName + " is starting its container (" + nonEmpty(waiting, "waiting") + ")", false, 20));
        }
        if (cs.getState() != null && cs.getState().getRunning() != null) {
            Instant since = parse(cs.getState().getRunning().getStartedAt())
                    .orElse(parse(pod.getMetadata().getCreationTimestamp()).orElse(now));
            boolean started = Boolean.TRUE.equals(cs.getStarted());
            Duration running = Duration.between(since, now);
            if (!started && running.compareTo(startupBudget) > 0) {
                return Optional.of(new PodFacts(Reasons.STARTUP_TOO_SLOW, "vLLM in pod " + podName
                        + " has not passed its startup probe after " + minutes(running) + " (budget "
                        + minutes(startupBudget) + "); the model may be too large to download or load in time",
                        true, 30));
            }
            return Optional.of(new PodFacts(Reasons.LOADING_MODEL, "vLLM in pod " + podName
                    + " is downloading or loading the model", false, 30));
        }
        return Optional.of(new PodFacts(Reasons.LOADING_MODEL, "vLLM in pod " + podName + " is starting", false, 30));
    }

    static Optional<Duration> killedByStartupProbe(ContainerStatus cs, Duration budget) {
        if (Boolean.TRUE.equals(cs.getStarted()) || cs.getLastState() == null
                || cs.getLastState().getTerminated() == null) {
            return Optional.empty();
        }
        var last = cs.getLastState().getTerminated();
        Optional<Instant> from = parse(last.getStartedAt());
        Optional<Instant> to = parse(last.getFinishedAt());
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        Duration ran = Duration.between(from.get(), to.get());
        return ran.compareTo(budget.multipliedBy(9).dividedBy(10)) >= 0 ? Optional.of(ran) : Optional.empty();
    }

    public static boolean isReady(Pod pod) {
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String lastExit(ContainerStatus cs) {
        if (cs.getLastState() == null || cs.getLastState().getTerminated() == null) {
            return "";
        }
        var t = cs.getLastState().getTerminated();
        return "; last exit code " + t.getExitCode()
                + (t.getReason() != null ? " (" + t.getReason() + ")" : "")
                + (t.getMessage() != null && !t.getMessage().isBlank() ? ": " + t.getMessage().strip() : "");
    }

    private static Optional<Instant> parse(String timestamp) {
        try {
            return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    private static int nonNull(Integer i) {
        return i == null ? 0 : i;
    }

    private static String nonEmpty(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
