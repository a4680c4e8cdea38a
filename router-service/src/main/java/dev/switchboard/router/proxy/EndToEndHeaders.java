package dev.switchboard.router.proxy;

import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Set;

/** Copies an expert's response headers except the hop-by-hop ones, which belong to the upstream connection. */
public final class EndToEndHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade", "content-length");

    private EndToEndHeaders() {
    }

    public static void copy(MultiMap from, MultiMap to) {
        for (var h : from) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }
}
