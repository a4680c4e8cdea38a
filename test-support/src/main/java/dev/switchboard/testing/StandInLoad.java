package dev.switchboard.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A stand-in's scheduler state and counters, served on {@code /metrics} under the names vLLM uses (0.9 onwards):
 * {@code vllm:num_requests_running}, {@code vllm:num_requests_waiting}, {@code vllm:kv_cache_usage_perc},
 * {@code vllm:prefix_cache_queries_total}, {@code vllm:prefix_cache_hits_total} and the histogram
 * {@code vllm:time_to_first_token_seconds}. Prefill is one queue: a request waits until the requests before it have
 * prefilled their uncached tokens, then prefills its own at {@code tokensPerMs}.
 */
final class StandInLoad {
    private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 10.0};

    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicLong runningTokens = new AtomicLong();
    final AtomicLong queriedTokens = new AtomicLong();
    final AtomicLong hitTokens = new AtomicLong();
    private final long[] ttftBuckets = new long[TTFT_BUCKETS.length];
    private final DoubleAdder ttftSum = new DoubleAdder();
    private final AtomicLong ttftCount = new AtomicLong();
    private long prefillFreeAtNanos;

    /**
     * Books the prefill of {@code uncachedTokens} behind the queue.
     *
     * @return {wait before the prefill starts, prefill duration}, in nanoseconds
     */
    synchronized long[] bookPrefill(int uncachedTokens, double tokensPerMs, long nowNanos) {
        if (tokensPerMs <= 0) {
            return new long[]{0, 0};
        }
        long start = Math.max(nowNanos, prefillFreeAtNanos);
        long duration = (long) (uncachedTokens / tokensPerMs * 1_000_000);
        prefillFreeAtNanos = start + duration;
        return new long[]{start - nowNanos, duration};
    }

    void firstToken(double seconds) {
        ttftSum.add(seconds);
        ttftCount.incrementAndGet();
        synchronized (ttftBuckets) {
            for (int i = 0; i < TTFT_BUCKETS.length; i++) {
                if (seconds <= TTFT_BUCKETS[i]) {
                    ttftBuckets[i]++;
                }
            }
        }
    }

    String prometheus(String model, int kvCapacityTokens) {
        String labels = "{engine=\"0\",model_name=\"" + model.replace("\"", "") + "\"}";
        double kv = kvCapacityTokens <= 0 ? 0 : Math.min(1.0, runningTokens.get() / (double) kvCapacityTokens);
        StringBuilder sb = new StringBuilder(2048);
        gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", labels,
                running.get());
        gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, waiting.get());
        gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, kv);
        counter(sb, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
                labels, queriedTokens.get());
        counter(sb, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.", labels,
                hitTokens.get());
        sb.append("# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.\n")
                .append("# TYPE vllm:time_to_first_token_seconds histogram\n");
        String inner = labels.substring(1, labels.length() - 1);
        synchronized (ttftBuckets) {
            for (int i = 0; i < TTFT_BUCKETS.length; i++) {
                sb.append("vllm:time_to_first_token_seconds_bucket{").append(inner).append(",le=\"")
                        .append(TTFT_BUCKETS[i]).append("\"} ").append(ttftBuckets[i]).append(".0\n");
            }
        }
        sb.append("vllm:time_to_first_token_seconds_bucket{").append(inner).append(",le=\"+Inf\"} ")
                .append(ttftCount.get()).append(".0\n");
        sb.append("vllm:time_to_first_token_seconds_count").append(labels).append(' ').append(ttftCount.get())
                .append(".0\n");
        sb.append("vllm:time_to_first_token_seconds_sum").append(labels).append(' ')
                .append(String.format(Locale.ROOT, "%.6f", ttftSum.sum())).append('\n');
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, String labels, double value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(labels).append(' ').append(String.format(Locale.ROOT, "%.4f", value))
                .append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, String labels, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append("_total").append(labels).append(' ').append(value).append(".0\n");
    }
}
