package dev.switchboard.router.shadow;

import dev.switchboard.router.config.RouterConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The sampled answer pairs kept for an offline judge: an in-memory ring of the last
 * {@code switchboard.shadow.samples} (the oldest dropped first), each answer cut at
 * {@code switchboard.shadow.sample-answer-chars}. Served on the management port only (/q/shadow/samples), lost when
 * the router restarts: whoever judges reads them regularly (hack/switchboard-cli shadow-samples).
 */
@ApplicationScoped
public class ShadowSamples {
    private final int capacity;
    private final Deque<JsonObject> ring = new ArrayDeque<>();
    private long kept;

    public ShadowSamples(RouterConfig config) {
        this.capacity = Math.max(0, config.shadow().samples());
    }

    synchronized void add(JsonObject sample) {
        if (capacity == 0) {
            return;
        }
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(sample.put("seq", ++kept));
    }

    /** The samples kept, oldest first, those after sequence number {@code after} (0: all). */
    public synchronized JsonObject view(long after) {
        JsonArray list = new JsonArray();
        ring.stream().filter(s -> s.getLong("seq") > after).forEach(list::add);
        return new JsonObject().put("kept", kept).put("capacity", capacity).put("samples", list);
    }
}
