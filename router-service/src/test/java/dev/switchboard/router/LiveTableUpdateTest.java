package dev.switchboard.router;

import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swapping the routing table while load runs: experts are added and removed every few milliseconds, and no
 * request fails because of a swap; a removed expert stops getting new requests at once.
 */
@QuarkusTest
class LiveTableUpdateTest {
    static StandInExpert one;
    static StandInExpert two;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void startExperts() {
        one = new StandInExpert("live-one", "127.0.0.1", 0).latency(Duration.ofMillis(5)).start();
        two = new StandInExpert("live-two", "127.0.0.1", 0).latency(Duration.ofMillis(5)).start();
    }

    @AfterAll
    static void stopExperts() {
        one.close();
        two.close();
    }

    private RoutingTable withBoth() {
        return table(policy("live-policy", "live-coe", "live-one",
                expert("live-one", one.baseUrl()), expert("live-two", two.baseUrl())));
    }

    private RoutingTable withoutTwo() {
        return table(policy("live-policy", "live-coe", "live-one", expert("live-one", one.baseUrl())));
    }

    @Test
    void noRequestFailsBecauseOfASwap() throws Exception {
        tables.swap(withBoth());
        Http http = new Http(url.toString());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            workers.add(clients.submit(() -> {
                while (System.nanoTime() < deadline) {
                    // Half the requests name live-two; while it is out of the table they go to the fallback.
                    HttpResponse<String> r = http.post("/v1/chat/completions",
                            Http.chat("live-coe", ok.get() % 2 == 0 ? "live-two please" : "anything"));
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.merge(r.statusCode() + " " + r.body(), 1, Integer::sum);
                    }
                }
            }));
        }
        int swaps = 0;
        while (System.nanoTime() < deadline) {
            tables.swap(swaps % 2 == 0 ? withoutTwo() : withBoth());
            swaps++;
            Thread.sleep(10);
        }
        for (Future<?> w : workers) {
            w.get();
        }
        clients.shutdown();
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(200);
        assertThat(swaps).isGreaterThan(100);
    }

    @Test
    void removedExpertGetsNoNewRequests() {
        tables.swap(withBoth());
        Http http = new Http(url.toString());
        assertThat(http.post("/v1/chat/completions", Http.chat("live-coe", "live-two please"))
                .headers().firstValue("x-switchboard-expert")).hasValue("live-two");
        tables.swap(withoutTwo());
        long before = two.requests();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("live-coe", "live-two please"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("live-one");
        }
        assertThat(two.requests()).isEqualTo(before);
        assertThat(http.get("/v1/models").body()).doesNotContain("live-two");
    }
}
