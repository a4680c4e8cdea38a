package dev.switchboard.operator.expert;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.operator.trust.ApiServerAddresses;
import dev.switchboard.operator.trust.EndpointRules;
import dev.switchboard.operator.trust.IpRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The external probe against a loopback endpoint: no credentials, no redirects, addresses checked first. */
class ExternalProbeTest {
    static final EndpointRules LOOPBACK = new EndpointRules(List.of(), List.of(IpRange.parse("127.0.0.0/8")),
            List.of(), List.of("127.0.0.0/8"));
    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();
    String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            int code = path.startsWith("/locked") ? 401 : path.startsWith("/moved") ? 307 : 200;
            if (code == 307) {
                exchange.getResponseHeaders().add("Location", base + "/target/v1/models");
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ExternalProbe probe(EndpointRules rules) {
        return new ExternalProbe(Duration.ofSeconds(2), rules, ApiServerAddresses.none());
    }

    @Test
    void reachableWithoutCredentials() {
        var outcome = probe(LOOPBACK).probe(base + "/ok/v1", true);
        assertThat(outcome.reachable()).isTrue();
        assertThat(seen).containsExactly("/ok/v1/models null");
    }

    @Test
    void aKeyedEndpointThatAsksForTheKeyIsUp() {
        var withKey = probe(LOOPBACK).probe(base + "/locked/v1", true);
        assertThat(withKey.reachable()).isTrue();
        assertThat(withKey.message()).contains("answered 401 without credentials", "the router sends");
        var withoutKey = probe(LOOPBACK).probe(base + "/locked/v1", false);
        assertThat(withoutKey.reachable()).isFalse();
        assertThat(withoutKey.message()).contains("set spec.external.apiKeySecretRef");
    }

    @Test
    void redirectsAreNotFollowed() {
        var outcome = probe(LOOPBACK).probe(base + "/moved/v1", true);
        assertThat(outcome.reachable()).isFalse();
        assertThat(outcome.reason()).isEqualTo("EndpointError");
        assertThat(outcome.message()).contains("answered HTTP 307", "redirects are not followed");
        assertThat(seen).containsExactly("/moved/v1/models null");
    }

    @Test
    void aNameResolvingToAForbiddenAddressIsNotCalled() {
        var outcome = probe(EndpointRules.defaults()).probe("http://localhost:" + server.getAddress().getPort()
                + "/ok/v1", false);
        assertThat(outcome.reason()).isEqualTo("EndpointNotAllowed");
        assertThat(outcome.message()).contains("localhost (127.0.0.1)", "loopback");
        assertThat(seen).isEmpty();
    }

    @Test
    void theApiServerIsNeverCalled() {
        var apiServer = ApiServerAddresses.of(Map.of(), base);
        var outcome = new ExternalProbe(Duration.ofSeconds(2), LOOPBACK, apiServer).probe(base + "/ok/v1", false);
        assertThat(outcome.reason()).isEqualTo("EndpointNotAllowed");
        assertThat(outcome.message()).contains("is the cluster's API server");
        assertThat(seen).isEmpty();
    }
}
