package dev.switchboard.router.picking;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VllmMetricsTest {
    @Test
    void readsVllmV1GaugesSummingEngines() {
        String text = """
                # HELP vllm:num_requests_running Number of requests in model execution batches.
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{engine="0",model_name="qwen"} 3.0
                vllm:num_requests_running{engine="1",model_name="qwen"} 2.0
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{engine="0",model_name="qwen"} 4.0
                vllm:num_requests_waiting_by_reason{engine="0",reason="capacity"} 9.0
                # TYPE vllm:kv_cache_usage_perc gauge
                vllm:kv_cache_usage_perc{engine="0",model_name="qwen"} 0.25
                vllm:kv_cache_usage_perc{engine="1",model_name="qwen"} 0.75
                vllm:time_to_first_token_seconds_bucket{le="0.001",model_name="qwen"} 0.0
                """;
        ReplicaLoad load = VllmMetrics.parse(text, 42);
        assertThat(load.running()).isEqualTo(5.0);
        assertThat(load.waiting()).isEqualTo(4.0);
        assertThat(load.kvCacheUsage()).isEqualTo(0.75);
        assertThat(load.atNanos()).isEqualTo(42);
    }

    @Test
    void readsTheGpuCacheGaugeOfVllmBefore09AndLabelsWithBraces() {
        String text = "vllm:num_requests_running{model_name=\"a}b\"} 1\n"
                + "vllm:num_requests_waiting 0\r\n"
                + "vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.5 1700000000000\n";
        ReplicaLoad load = VllmMetrics.parse(text, 0);
        assertThat(load.running()).isEqualTo(1.0);
        assertThat(load.waiting()).isZero();
        assertThat(load.kvCacheUsage()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aServerWithoutVllmGaugesHasNoLoad() {
        assertThat(VllmMetrics.parse("# nothing\nhttp_requests_total 5\n", 0)).isNull();
        assertThat(VllmMetrics.parse("", 0)).isNull();
        assertThat(VllmMetrics.parse("vllm:num_requests_running NaN\nvllm:num_requests_waiting x\n", 0)).isNull();
        ReplicaLoad noKv = VllmMetrics.parse("vllm:num_requests_waiting 2\n", 0);
        assertThat(noKv.kvCacheUsage()).isEqualTo(-1);
        assertThat(noKv.kvCacheFull()).isFalse();
    }

    @Test
    void theMetricsUriSitsBesideTheOpenAiApi() {
        assertThat(VllmLoadScraper.metricsUri("http://10.1.2.3:8000/v1").toString())
                .isEqualTo("http://10.1.2.3:8000/metrics");
        assertThat(VllmLoadScraper.metricsUri("http://host/prefix/v1/").toString())
                .isEqualTo("http://host:80/prefix/metrics");
    }
}
