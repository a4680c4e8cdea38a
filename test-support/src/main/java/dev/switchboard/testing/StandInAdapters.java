package dev.switchboard.testing;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LoRA side of a {@link StandInExpert}, shaped like vLLM's OpenAI server (targeted: v0.11.0) started with
 * {@code --enable-lora --max-loras N} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}:
 * {@code POST /v1/load_lora_adapter {"lora_name", "lora_path"}} and {@code POST /v1/unload_lora_adapter
 * {"lora_name"}}; loaded adapters are listed by {@code /v1/models} with {@code parent} set to the base and answer
 * requests whose {@code model} is their name. Unlike vLLM, which keeps adapters beyond --max-loras in its CPU cache
 * and swaps them in, the stand-in refuses the adapter beyond --max-loras (HTTP 400), so an over-full base is
 * visible in tests.
 */
final class StandInAdapters {
    private final Map<String, String> loaded = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong unloads = new AtomicLong();
    private volatile int maxLoras;
    private volatile boolean runtimeUpdating;

    /** Like --enable-lora --max-loras {@code max}; 0 disables LoRA. */
    void enable(int max, boolean allowRuntimeUpdating) {
        this.maxLoras = max;
        this.runtimeUpdating = allowRuntimeUpdating;
    }

    boolean routesMounted() {
        return maxLoras > 0 && runtimeUpdating;
    }

    boolean isLoaded(String name) {
        return name != null && loaded.containsKey(name);
    }

    Set<String> names() {
        return Set.copyOf(loaded.keySet());
    }

    long loads() {
        return loads.get();
    }

    long unloads() {
        return unloads.get();
    }

    void load(JsonObject body, HttpServerResponse resp) {
        String name = body.getString("lora_name");
        String path = body.getString("lora_path");
        if (name == null || name.isBlank() || path == null || path.isBlank()) {
            StandInExpert.error(resp, 400, "Both 'lora_name' and 'lora_path' must be provided.");
            return;
        }
        synchronized (this) {
            if (loaded.containsKey(name)) {
                StandInExpert.error(resp, 400, "The lora adapter '" + name + "' has already been loaded.");
                return;
            }
            if (loaded.size() >= maxLoras) {
                StandInExpert.error(resp, 400, "Cannot load LoRA adapter '" + name + "': " + loaded.size()
                        + " adapters are loaded and --max-loras is " + maxLoras);
                return;
            }
            loaded.put(name, path);
        }
        loads.incrementAndGet();
        resp.putHeader("content-type", "text/plain").end("Success: LoRA adapter '" + name + "' added successfully.");
    }

    void unload(JsonObject body, HttpServerResponse resp) {
        String name = body.getString("lora_name");
        if (name == null || loaded.remove(name) == null) {
            StandInExpert.error(resp, 404, "The lora adapter '" + name + "' cannot be found.");
            return;
        }
        unloads.incrementAndGet();
        resp.putHeader("content-type", "text/plain").end("Success: LoRA adapter '" + name + "' removed successfully.");
    }

    /** The loaded adapters as /v1/models entries whose parent is {@code base}. */
    void list(JsonArray data, String base) {
        loaded.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> data.add(new JsonObject()
                .put("id", e.getKey()).put("object", "model").put("owned_by", "vllm").put("root", e.getValue())
                .put("parent", base)));
    }
}
