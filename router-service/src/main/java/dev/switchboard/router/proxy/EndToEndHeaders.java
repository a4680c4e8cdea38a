package dev.switchboard.router.proxy;

import io.vertx.core.MultiMap;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Copies an expert's response headers that are meant for the client. Left out: the hop-by-hop headers of RFC 9110
 * section 7.6.1 (Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade and every header the
 * Connection header names), Content-Length (the relay sets its own), Set-Cookie (an expert has no session with our
 * clients), and x-switchboard-* (only the router says how a request was routed).
 */
public final class EndToEndHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "transfer-encoding", "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade",
            "content-length", "set-cookie", "set-cookie2");
    private static final String OURS = "x-switchboard-";

    private EndToEndHeaders() {
    }

    public static void copy(MultiMap from, MultiMap to) {
        Set<String> named = connectionNamed(from);
        for (var h : from) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith(OURS) && (named == null || !named.contains(name))) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }

    /** The header names listed in Connection (and the non-standard Proxy-Connection), or null when none. */
    private static Set<String> connectionNamed(MultiMap headers) {
        Set<String> named = null;
        for (String header : new String[] {"connection", "proxy-connection"}) {
            for (String value : headers.getAll(header)) {
                for (String token : value.split(",")) {
                    String t = token.strip().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        if (named == null) {
                            named = new HashSet<>();
                        }
                        named.add(t);
                    }
                }
            }
        }
        return named;
    }
}
