package dev.switchboard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The stand-in as one vLLM replica: its prefix cache, prefill time and /metrics. */
class StandInPrefixCacheTest {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void aLongerPromptHitsTheCachedPrefixOfAnEarlierOne() {
        StandInPrefixCache cache = new StandInPrefixCache(100);
        String first = "a".repeat(640);
        assertThat(cache.admit(first)).isEqualTo(new StandInPrefixCache.Lookup(160, 0));
        StandInPrefixCache.Lookup second = cache.admit(first + "b".repeat(300));
        assertThat(second.cachedTokens()).isEqualTo(160);
        assertThat(second.uncachedTokens()).isEqualTo(75);
        assertThat(cache.admit("c" + first).cachedTokens()).isZero(); // a different first block: nothing shared
    }

    @Test
    void theCacheHoldsABoundedNumberOfBlocksLeastRecentlyUsedFirstOut() {
        StandInPrefixCache cache = new StandInPrefixCache(10);
        cache.admit("x".repeat(64 * 10));
        cache.admit("y".repeat(64 * 10));
        assertThat(cache.size()).isEqualTo(10);
        assertThat(cache.admit("x".repeat(64 * 10)).cachedTokens()).isZero();
    }

    @Test
    void timeToFirstTokenGrowsWithTheUncachedPromptAndMetricsUseVllmNames() throws Exception {
        try (StandInExpert e = new StandInExpert("m", "127.0.0.1", 0).prefillTokensPerMs(10).start()) {
            String history = "Tell me a long story about the sea. ".repeat(60); // ~540 tokens: ~54 ms to prefill
            long cold = timed(e, history);
            long warm = timed(e, history + " And then?");
            assertThat(cold).isGreaterThan(45);
            assertThat(warm).isLessThan(cold - 25);
            assertThat(e.prefixCacheHits()).isPositive();
            HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("vllm:num_requests_running{engine=\"0\",model_name=\"m\"} 0.0000",
                    "vllm:num_requests_waiting{", "vllm:kv_cache_usage_perc{", "vllm:prefix_cache_queries_total{",
                    "vllm:prefix_cache_hits_total{", "vllm:time_to_first_token_seconds_count{");
        }
    }

    @Test
    void everyAnswerNamesTheReplica() throws Exception {
        try (StandInExpert e = new StandInExpert("m", "127.0.0.1", 0).start()) {
            HttpResponse<String> r = post(e, "hi");
            assertThat(r.headers().firstValue(StandInExpert.REPLICA_HEADER)).contains("m@" + e.port());
        }
    }

    static long timed(StandInExpert e, String prompt) throws Exception {
        long start = System.nanoTime();
        assertThat(post(e, prompt).statusCode()).isEqualTo(200);
        return (System.nanoTime() - start) / 1_000_000;
    }

    static HttpResponse<String> post(StandInExpert e, String content) throws Exception {
        String body = new JsonObject().put("model", "m").put("messages", new JsonArray().add(new JsonObject()
                .put("role", "user").put("content", content))).encode();
        return CLIENT.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
