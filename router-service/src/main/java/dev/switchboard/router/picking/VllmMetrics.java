package dev.switchboard.router.picking;

/**
 * Reads a replica's load from vLLM's Prometheus text ({@code GET /metrics}): the gauges
 * {@code vllm:num_requests_running} and {@code vllm:num_requests_waiting} (vLLM 0.4 onwards) and
 * {@code vllm:kv_cache_usage_perc} (0.9 onwards; {@code vllm:gpu_cache_usage_perc} before, deprecated in 0.9 and
 * hidden later). Series of one name (several engines or models in one server) are summed, the KV-cache usage is their
 * maximum. Everything else (histograms, comments) is skipped line by line, without building a model of the text.
 */
public final class VllmMetrics {
    static final String RUNNING = "vllm:num_requests_running";
    static final String WAITING = "vllm:num_requests_waiting";
    static final String KV_CACHE = "vllm:kv_cache_usage_perc";
    static final String GPU_CACHE = "vllm:gpu_cache_usage_perc";

    private VllmMetrics() {
    }

    /** The load in {@code text}, or null when it holds neither vLLM request gauge (not a vLLM server). */
    public static ReplicaLoad parse(CharSequence text, long atNanos) {
        double running = 0;
        double waiting = 0;
        double kv = -1;
        double gpu = -1;
        boolean found = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            if (text.charAt(i) == 'v') {
                double v;
                if (startsWith(text, i, end, RUNNING) && !Double.isNaN(v = value(text, i + RUNNING.length(), end))) {
                    running += v;
                    found = true;
                } else if (startsWith(text, i, end, WAITING)
                        && !Double.isNaN(v = value(text, i + WAITING.length(), end))) {
                    waiting += v;
                    found = true;
                } else if (startsWith(text, i, end, KV_CACHE)
                        && !Double.isNaN(v = value(text, i + KV_CACHE.length(), end))) {
                    kv = Math.max(kv, v);
                } else if (startsWith(text, i, end, GPU_CACHE)
                        && !Double.isNaN(v = value(text, i + GPU_CACHE.length(), end))) {
                    gpu = Math.max(gpu, v);
                }
            }
            i = end + 1;
        }
        return found ? new ReplicaLoad(running, waiting, kv >= 0 ? kv : gpu, atNanos) : null;
    }

    /** Whether the line {@code [from, end)} is a sample of exactly metric {@code name} (labels or a space follow). */
    private static boolean startsWith(CharSequence text, int from, int end, String name) {
        if (end - from <= name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (text.charAt(from + k) != name.charAt(k)) {
                return false;
            }
        }
        char next = text.charAt(from + name.length());
        return next == '{' || next == ' ';
    }

    /** The sample value after the name (and its labels), or NaN when unreadable. */
    private static double value(CharSequence text, int from, int end) {
        int i = from;
        if (text.charAt(i) == '{') {
            boolean quoted = false;
            while (i < end) {
                char c = text.charAt(i);
                if (c == '"' && text.charAt(i - 1) != '\\') {
                    quoted = !quoted;
                } else if (c == '}' && !quoted) {
                    break;
                }
                i++;
            }
            i++;
        }
        while (i < end && text.charAt(i) == ' ') {
            i++;
        }
        int stop = i;
        while (stop < end && text.charAt(stop) != ' ' && text.charAt(stop) != '\r') {
            stop++;
        }
        if (stop == i) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(text.subSequence(i, stop).toString());
            return Double.isFinite(v) && v >= 0 ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
