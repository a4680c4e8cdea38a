package dev.switchboard.router.proxy;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 7.6.1: hop-by-hop headers, and those the Connection header names, are not relayed. */
class EndToEndHeadersTest {
    @Test
    void onlyEndToEndHeadersMeantForTheClientAreCopied() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json").add("X-Request-Id", "r1")
                .add("Connection", "close, X-Hop-One").add("connection", "x-hop-two")
                .add("X-Hop-One", "1").add("X-Hop-Two", "2").add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive").add("Transfer-Encoding", "chunked").add("Content-Length", "5")
                .add("Set-Cookie", "a=b").add("X-Switchboard-Expert", "spoofed").add("Upgrade", "h2c");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        EndToEndHeaders.copy(from, to);
        assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "X-Request-Id");
    }
}
