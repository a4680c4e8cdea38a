package dev.switchboard.operator.adapter;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Makes the base's ready pods serve what its {@link LoraLayout} admits: loads an adapter where {@code /v1/models}
 * does not list it (after a pod restart too, since a new pod starts empty) and unloads adapters no ExpertModel
 * admits any more (deleted, refused, moved to another base). Level-based: every call compares with what the pods
 * report, so a missed event is repaired by the next reconcile, and no finalizer is needed for the unload.
 */
public final class AdapterSync {
    private final VllmAdapterApi api;
    private final PodAddresses addresses;
    private final int port;

    /** What one adapter's sync found: the pods serving it and the failures, each naming its pod. */
    public record Outcome(List<String> loadedOn, int readyPods, List<String> errors) {
    }

    public AdapterSync(VllmAdapterApi api, PodAddresses addresses, int port) {
        this.api = api;
        this.addresses = addresses;
        this.port = port;
    }

    /** Loads {@code name} from {@code path} on every ready pod of the base that lacks it. */
    public Outcome ensureLoaded(String name, String path, Collection<Pod> basePods) {
        List<String> loadedOn = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int ready = 0;
        for (Pod pod : sorted(basePods)) {
            Optional<String> target = target(pod);
            if (target.isEmpty()) {
                continue;
            }
            ready++;
            try {
                if (!api.loadedAdapters(target.get()).contains(name)) {
                    api.load(target.get(), name, path);
                }
                loadedOn.add(pod.getMetadata().getName());
            } catch (VllmAdapterApi.CallFailed e) {
                errors.add("pod " + pod.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        return new Outcome(loadedOn, ready, errors);
    }

    /** Unloads, on every ready pod, the adapters it lists that are not {@code wanted}; the failures. */
    public List<String> unloadOthers(java.util.function.Predicate<String> wanted, Collection<Pod> basePods) {
        List<String> errors = new ArrayList<>();
        for (Pod pod : sorted(basePods)) {
            Optional<String> target = target(pod);
            if (target.isEmpty()) {
                continue;
            }
            try {
                for (String loaded : api.loadedAdapters(target.get())) {
                    if (!wanted.test(loaded)) {
                        api.unload(target.get(), loaded);
                    }
                }
            } catch (VllmAdapterApi.CallFailed e) {
                errors.add("pod " + pod.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        return errors;
    }

    /** host:port of a ready, running pod, if it can be reached. */
    private Optional<String> target(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || pod.getStatus().getPodIP() == null || !ready(pod)) {
            return Optional.empty();
        }
        return addresses.resolve(pod.getStatus().getPodIP(), port);
    }

    static boolean ready(Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<Pod> sorted(Collection<Pod> pods) {
        return pods.stream().sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }
}
