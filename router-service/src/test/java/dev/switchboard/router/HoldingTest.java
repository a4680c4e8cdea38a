package dev.switchboard.router;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.demand.ColdStartHolds;
import dev.switchboard.router.demand.DemandTracker;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.support.NameMatchStrategy;
import dev.switchboard.router.support.TestTables;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests for an expert that scales from zero and has no ready replica are held while it starts and then answered
 * by it; past spec.holding.maxWait, or with the queue full, they go to the fallback with the reason.
 */
@QuarkusTest
class HoldingTest {
    static StandInExpert cold;
    /** A second replica of the cold expert, for bursts beyond one endpoint's in-flight bound. */
    static StandInExpert coldTwin;
    static StandInExpert fallback;

    @Inject
    RoutingTableHolder tables;
    @Inject
    ColdStartHolds holds;
    @Inject
    DemandTracker demand;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void startExperts() {
        cold = new StandInExpert("hold-cold", "127.0.0.1", 0).start();
        coldTwin = new StandInExpert("hold-cold", "127.0.0.1", 0).start();
        fallback = new StandInExpert("hold-general", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        cold.close();
        coldTwin.close();
        fallback.close();
    }

    static ExpertInfo coldExpert(String name, String... urls) {
        ExpertInfo e = TestTables.expert(name, urls);
        return new ExpertInfo(e.name(), e.namespace(), e.servedModelName(), e.upstreamModel(), e.endpoints(), null,
                e.categories(), e.description(), e.examples(), false, Map.of(), 1.0, null, true);
    }

    void serve(String prefix, PolicyRoute.Holding holding, ExpertInfo expert) {
        ExpertInfo general = TestTables.expert(prefix + "-general", fallback.baseUrl());
        tables.swap(TestTables.table(new PolicyRoute(prefix, "test", prefix + "-coe", new NameMatchStrategy(),
                Map.of(expert.name(), expert, general.name(), general), general.name(),
                PolicyRoute.FailoverPolicy.DEFAULT, new PolicyRoute.Timeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(60)), holding)));
    }

    List<CompletableFuture<HttpResponse<String>>> burst(String model, String expert, int n) {
        List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Http.CLIENT.sendAsync(new Http(url.toString()).request("/v1/chat/completions",
                    Http.chat(model, "ask " + expert + " question " + i).encode()),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return out;
    }

    @Test
    void requestsForAColdExpertWaitForItThenItAnswersEveryOne() throws Exception {
        serve("hc", new PolicyRoute.Holding(Duration.ofSeconds(20), 100), coldExpert("hc-a"));
        long start = System.nanoTime();
        var answers = burst("hc-coe", "hc-a", 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> holds.held() == 30);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        Thread.sleep(400); // the expert "loads"
        serve("hc", new PolicyRoute.Holding(Duration.ofSeconds(20), 100), coldExpert("hc-a", cold.baseUrl()));
        for (var f : answers) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("hc-a");
            assertThat(r.headers().firstValue("x-switchboard-fallback")).isEmpty();
            assertThat(r.body()).contains("[hold-cold] You asked: ask hc-a");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(holds.held()).isZero();
        Map<String, DemandTracker.Window> window = demand.window();
        assertThat(window.get("test/hc-a").requests()).isEqualTo(30);
        assertThat(window.get("test/hc-a").inFlight()).isEqualTo(30);
        assertThat(window.get("test/hc-a").diverted()).isZero();
    }

    @Test
    void aHoldThatRunsOutGoesToTheFallbackNamingTheReason() throws Exception {
        serve("ht", new PolicyRoute.Holding(Duration.ofMillis(300), 100), coldExpert("ht-a"));
        long start = System.nanoTime();
        HttpResponse<String> r = burst("ht-coe", "ht-a", 1).get(0).get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("ht-general");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElse(""))
                .contains("ht-a: cold (held 300ms, spec.holding.maxWait, without a ready replica)");
        assertThat(demand.window().get("test/ht-a").diverted()).isEqualTo(1);
    }

    @Test
    void aFullQueueSendsTheRestToTheFallbackAtOnce() throws Exception {
        serve("hq", new PolicyRoute.Holding(Duration.ofSeconds(20), 2), coldExpert("hq-a"));
        var held = burst("hq-coe", "hq-a", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> holds.held() == 2);
        HttpResponse<String> r = burst("hq-coe", "hq-a", 1).get(0).get(5, TimeUnit.SECONDS);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("hq-general");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElse(""))
                .contains("hq-a: cold (holding queue full, spec.holding.maxQueued 2)");
        serve("hq", new PolicyRoute.Holding(Duration.ofSeconds(20), 2), coldExpert("hq-a", cold.baseUrl()));
        for (var f : held) {
            assertThat(f.get(20, TimeUnit.SECONDS).headers().firstValue("x-switchboard-expert")).hasValue("hq-a");
        }
    }

    @Test
    void holdingOffSendsAColdExpertsRequestsToTheFallback() throws Exception {
        serve("ho", new PolicyRoute.Holding(Duration.ofSeconds(20), 0), coldExpert("ho-a"));
        HttpResponse<String> r = burst("ho-coe", "ho-a", 1).get(0).get(5, TimeUnit.SECONDS);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("ho-general");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElse(""))
                .contains("ho-a: cold (holding off, spec.holding.maxQueued 0)");
    }

    /** The figure of docs/benchmarks.md: heap held by 1,000 waiting requests (bounded: maxQueued). */
    @Test
    void holdingAThousandRequestsKeepsMemoryBounded() throws Exception {
        serve("hm", new PolicyRoute.Holding(Duration.ofSeconds(60), 1000), coldExpert("hm-a"));
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        var answers = burst("hm-coe", "hm-a", 1000);
        await().atMost(Duration.ofSeconds(60)).until(() -> holds.held() == 1000);
        System.gc();
        long during = memory.getHeapMemoryUsage().getUsed();
        // Released held requests take the normal attempt path, bounded per endpoint
        // (switchboard.overload.max-in-flight-per-endpoint, 512): a thousand need two replicas up, as the
        // autoscaler's target in-flight per replica would ask for.
        serve("hm", new PolicyRoute.Holding(Duration.ofSeconds(60), 1000), coldExpert("hm-a", cold.baseUrl(),
                coldTwin.baseUrl()));
        int ok = 0;
        for (var f : answers) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            ok += r.statusCode() == 200 && "hm-a".equals(r.headers().firstValue("x-switchboard-expert").orElse(""))
                    ? 1 : 0;
        }
        assertThat(ok).isEqualTo(1000);
        System.out.printf("[holding] 1000 held requests: heap %+.1f MiB (router and the test's own client share "
                + "this JVM)%n", (during - before) / 1048576.0);
        assertThat(during - before).isLessThan(256L * 1024 * 1024);
    }
}
