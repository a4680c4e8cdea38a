package dev.switchboard.operator.metrics;

import dev.switchboard.api.v1alpha1.ExpertModelStatus;
import dev.switchboard.operator.status.ConditionSet;
import dev.switchboard.operator.status.Reasons;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-ExpertModel 0/1 gauges the SwitchboardExpertNotReady / SwitchboardExpertUnschedulable alerts read:
 * {@code switchboard_expert_ready{namespace,expert}} (Ready condition True) and
 * {@code switchboard_expert_unschedulable{namespace,expert}} (Degraded=True with reason Unschedulable).
 * Holds the last status the reconciler computed; {@link #remove} unregisters both meters so a deleted expert
 * stops being reported instead of staying at its last value.
 */
@Singleton
public class ExpertGauges {
    public static final String READY = "switchboard.expert.ready";
    public static final String UNSCHEDULABLE = "switchboard.expert.unschedulable";
    static final int DELETED_REMEMBERED = 4096;

    private final MeterRegistry registry;
    private final Map<Key, Tracked> experts = new ConcurrentHashMap<>();
    /** uids of deleted experts (bounded: only a reconcile racing a recent deletion needs them). */
    private final Set<String> deleted = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > DELETED_REMEMBERED;
                }
            }));

    @Inject
    public ExpertGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges nobody scrapes, for reconcilers built outside Quarkus (tests, tools). */
    public static ExpertGauges unexported() {
        return new ExpertGauges(new SimpleMeterRegistry());
    }

    /**
     * Records the status just computed for the expert (identified by its uid too), registering its gauges on
     * first sight. A reconcile that finishes after the expert's deletion was seen is ignored.
     */
    public void update(String namespace, String expert, String uid, ExpertModelStatus status) {
        State state = State.of(status);
        experts.compute(new Key(namespace, expert), (key, tracked) -> {
            if (deleted.contains(uid)) {
                return tracked;
            }
            if (tracked == null) {
                tracked = register(key);
            }
            tracked.uid = uid;
            tracked.state = state;
            return tracked;
        });
    }

    /**
     * Forgets the deleted expert and removes its meters from the registry. Keyed by uid as well: the deletion
     * event of an expert may arrive after a new one with the same name was already reconciled.
     */
    public void remove(String namespace, String expert, String uid) {
        experts.compute(new Key(namespace, expert), (key, tracked) -> {
            deleted.add(uid);
            if (tracked == null || !Objects.equals(tracked.uid, uid)) {
                return tracked;
            }
            tracked.meters.forEach(registry::remove);
            return null;
        });
    }

    private Tracked register(Key key) {
        Tracked tracked = new Tracked();
        Gauge ready = Gauge.builder(READY, tracked, t -> t.state.ready() ? 1 : 0)
                .description("1 when the ExpertModel's Ready condition is True, else 0")
                .tags("namespace", key.namespace(), "expert", key.expert())
                .strongReference(true)
                .register(registry);
        Gauge unschedulable = Gauge.builder(UNSCHEDULABLE, tracked, t -> t.state.unschedulable() ? 1 : 0)
                .description("1 when the ExpertModel is Degraded with reason Unschedulable (no node fits its pods), else 0")
                .tags("namespace", key.namespace(), "expert", key.expert())
                .strongReference(true)
                .register(registry);
        tracked.meters = List.of(ready, unschedulable);
        return tracked;
    }

    private record Key(String namespace, String expert) {
    }

    record State(boolean ready, boolean unschedulable) {
        static State of(ExpertModelStatus status) {
            if (status == null) {
                return new State(false, false);
            }
            boolean unschedulable = status.condition(ConditionSet.DEGRADED)
                    .map(c -> "True".equals(c.getStatus()) && Reasons.UNSCHEDULABLE.equals(c.getReason()))
                    .orElse(false);
            return new State(status.isTrue(ConditionSet.READY), unschedulable);
        }
    }

    private static final class Tracked {
        volatile State state = new State(false, false);
        String uid;
        List<Gauge> meters = List.of();
    }
}
