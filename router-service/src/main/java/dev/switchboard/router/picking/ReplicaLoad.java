package dev.switchboard.router.picking;

/**
 * A replica's load as vLLM reports it on /metrics.
 *
 * @param running      requests in the model's batches ({@code vllm:num_requests_running})
 * @param waiting      requests queued for it ({@code vllm:num_requests_waiting})
 * @param kvCacheUsage fraction of the KV cache in use, 0..1 ({@code vllm:kv_cache_usage_perc}, before vLLM 0.9
 *                     {@code vllm:gpu_cache_usage_perc}), or -1 when not reported
 * @param atNanos      when it was read (System.nanoTime)
 */
public record ReplicaLoad(double running, double waiting, double kvCacheUsage, long atNanos) {
    /** KV-cache usage from which a replica cannot take a new sequence without preempting another. */
    public static final double KV_CACHE_FULL = 0.95;

    public boolean kvCacheFull() {
        return kvCacheUsage >= KV_CACHE_FULL;
    }
}
