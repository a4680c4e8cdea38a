package dev.switchboard.router;

import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.router.support.Http;
import dev.switchboard.router.table.RoutingTableHolder;
import dev.switchboard.testing.StandInExpert;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.router.support.TestTables.expert;
import static dev.switchboard.router.support.TestTables.expertWithKey;
import static dev.switchboard.router.support.TestTables.policy;
import static dev.switchboard.router.support.TestTables.table;
import static dev.switchboard.router.support.TestTables.withPicking;
import static org.assertj.core.api.Assertions.assertThat;

/** Failover before the first byte, circuit breakers, endpoint balancing and upstream credentials. */
@QuarkusTest
class FailoverTest {
    static StandInExpert primary;
    static StandInExpert secondary;
    static StandInExpert replicaA;
    static StandInExpert replicaB;

    @Inject
    RoutingTableHolder tables;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void startExperts() {
        primary = new StandInExpert("fo-primary", "127.0.0.1", 0).start();
        secondary = new StandInExpert("fo-secondary", "127.0.0.1", 0).start();
        replicaA = new StandInExpert("fo-replica-a", "127.0.0.1", 0).start();
        replicaB = new StandInExpert("fo-replica-b", "127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopExperts() {
        primary.close();
        secondary.close();
        replicaA.close();
        replicaB.close();
    }

    @AfterEach
    void reset() {
        primary.failNext(0, StandInExpert.Failure.HTTP_500).latency(Duration.ZERO);
        secondary.failNext(0, StandInExpert.Failure.HTTP_500).latency(Duration.ZERO);
    }

    /** Each test uses its own expert names so breaker state does not leak between tests. */
    private Http withPolicy(String prefix, PolicyRoute.FailoverPolicy failover, Duration firstByte) {
        tables.swap(table(policy(prefix + "-policy", prefix + "-coe", prefix + "-b", failover,
                new PolicyRoute.Timeouts(Duration.ofSeconds(1), firstByte, Duration.ofSeconds(20)),
                expert(prefix + "-a", primary.baseUrl()), expert(prefix + "-b", secondary.baseUrl()))));
        return new Http(url.toString());
    }

    private static PolicyRoute.FailoverPolicy failover(int attempts, int breakerFailures, Duration openFor) {
        return new PolicyRoute.FailoverPolicy(attempts, PolicyRoute.FailoverPolicy.DEFAULT.retryOn(),
                breakerFailures, openFor);
    }

    @Test
    void http500BeforeTheFirstByteFailsOverToTheNextExpert() {
        Http http = withPolicy("f500", failover(3, 5, Duration.ofSeconds(30)), Duration.ofSeconds(5));
        primary.failNext(1, StandInExpert.Failure.HTTP_500);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("f500-coe", "f500-a please"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("[fo-secondary]");
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("f500-b");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElseThrow())
                .contains("failover").contains("f500-a: 5xx");
    }

    @Test
    void droppedConnectionFailsOver() {
        Http http = withPolicy("fdrop", failover(3, 5, Duration.ofSeconds(30)), Duration.ofSeconds(5));
        primary.failNext(1, StandInExpert.Failure.DROP_CONNECTION);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("fdrop-coe", "fdrop-a please"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("fdrop-b");
    }

    @Test
    void slowFirstByteTimesOutAndFailsOver() {
        // timeouts.firstByte bounds the wait for a stream's head (a non-streaming answer's head comes with its last
        // token, so only timeouts.request bounds it: GatewayTimeoutsTest)
        Http http = withPolicy("fslow", failover(3, 5, Duration.ofSeconds(30)), Duration.ofMillis(300));
        primary.latency(Duration.ofSeconds(3));
        long start = System.nanoTime();
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("fslow-coe", "fslow-a please")
                .put("stream", true));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("fslow-b");
        assertThat(r.headers().firstValue("x-switchboard-fallback").orElseThrow()).contains("fslow-a: timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void maxAttemptsOfOneMeansNoFailover() {
        Http http = withPolicy("fone", failover(1, 5, Duration.ofSeconds(30)), Duration.ofSeconds(5));
        primary.failNext(1, StandInExpert.Failure.DROP_CONNECTION);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("fone-coe", "fone-a please"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("fone-a: reset");
    }

    @Test
    void allCandidatesFailingIs503WithEveryReason() {
        Http http = withPolicy("fall", failover(3, 5, Duration.ofSeconds(30)), Duration.ofSeconds(5));
        primary.failNext(1, StandInExpert.Failure.HTTP_500);
        secondary.failNext(1, StandInExpert.Failure.HTTP_500);
        HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("fall-coe", "fall-a please"));
        OpenAiApiTest.assertError(r, 503, "experts_unavailable", null);
        // what failed, in our words; the experts' error bodies stay out of the answer
        assertThat(r.body()).contains("fall-a: 5xx (HTTP 500)").contains("fall-b: 5xx (HTTP 500)")
                .doesNotContain("injected failure");
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    }

    @Test
    void circuitBreakerOpensAfterRepeatedFailuresAndHalfOpensLater() throws Exception {
        Http http = withPolicy("fcb", failover(2, 2, Duration.ofMillis(800)), Duration.ofSeconds(5));
        primary.failNext(2, StandInExpert.Failure.HTTP_500);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.post("/v1/chat/completions", Http.chat("fcb-coe", "fcb-a please"));
            assertThat(r.headers().firstValue("x-switchboard-expert")).hasValue("fcb-b");
        }
        // Open: the primary is skipped without being called.
        long calls = primary.requests();
        HttpResponse<String> skipped = http.post("/v1/chat/completions", Http.chat("fcb-coe", "fcb-a please"));
        assertThat(skipped.headers().firstValue("x-switchboard-expert")).hasValue("fcb-b");
        assertThat(skipped.headers().firstValue("x-switchboard-fallback").orElseThrow())
                .contains("fcb-a: circuit breaker open");
        assertThat(primary.requests()).isEqualTo(calls);
        String routing = http.get("/q/routing").body();
        assertThat(routing).contains("\"test/fcb-a\" : \"OPEN\"");
        // Half-open after the open period: one trial goes to the primary, which now answers, closing the breaker.
        Thread.sleep(900);
        HttpResponse<String> trial = http.post("/v1/chat/completions", Http.chat("fcb-coe", "fcb-a please"));
        assertThat(trial.headers().firstValue("x-switchboard-expert")).hasValue("fcb-a");
        assertThat(primary.requests()).isEqualTo(calls + 1);
        assertThat(http.get("/q/routing").body()).contains("\"test/fcb-a\" : \"CLOSED\"");
    }

    @Test
    void requestsAreBalancedAcrossEndpointsByLeastInFlight() {
        replicaA.latency(Duration.ofMillis(200));
        replicaB.latency(Duration.ofMillis(200));
        tables.swap(table(withPicking(policy("lb-policy", "lb-coe", null,
                expert("lb-multi", replicaA.baseUrl(), replicaB.baseUrl())),
                EndpointPicking.DEFAULT.withType(EndpointPicking.Type.LEAST_LOADED))));
        Http http = new Http(url.toString());
        long a0 = replicaA.requests();
        long b0 = replicaB.requests();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(Http.CLIENT.sendAsync(http.request("/v1/chat/completions",
                    Http.chat("lb-coe", "lb-multi " + i).encode()), HttpResponse.BodyHandlers.ofString()));
        }
        all.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        long a = replicaA.requests() - a0;
        long b = replicaB.requests() - b0;
        assertThat(a + b).isEqualTo(20);
        assertThat(Math.abs(a - b)).isLessThanOrEqualTo(4);
    }

    @Test
    void apiKeyOfTheExpertIsSentAndClientAuthorizationIsNot() {
        tables.swap(table(policy("auth-policy", "auth-coe", null,
                expertWithKey("auth-keyed", "sk-expert-secret", primary.baseUrl()),
                expert("auth-plain", secondary.baseUrl()))));
        Http http = new Http(url.toString());
        http.post("/v1/chat/completions", Http.chat("auth-coe", "auth-keyed"), "authorization", "Bearer client");
        assertThat(primary.lastAuthorization()).isEqualTo("Bearer sk-expert-secret");
        http.post("/v1/chat/completions", Http.chat("auth-coe", "auth-plain"), "authorization", "Bearer client");
        assertThat(secondary.lastAuthorization()).isNull();
    }
}
