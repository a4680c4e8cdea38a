package dev.switchboard.router.proxy;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An endpoint base URL split once into what the HTTP client needs; parsed values are cached by URL. */
public record UpstreamTarget(String host, int port, boolean ssl, String pathPrefix) {
    private static final Map<String, UpstreamTarget> CACHE = new ConcurrentHashMap<>();

    public static UpstreamTarget of(String baseUrl) {
        UpstreamTarget t = CACHE.get(baseUrl);
        if (t == null) {
            t = parse(baseUrl);
            if (CACHE.size() > 10_000) {
                CACHE.clear();
            }
            CACHE.put(baseUrl, t);
        }
        return t;
    }

    static UpstreamTarget parse(String baseUrl) {
        URI uri = URI.create(baseUrl);
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        if (!ssl && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expert endpoint must be an http(s) URL, got '" + baseUrl + "'");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new UpstreamTarget(uri.getHost(), port, ssl, path);
    }

    /** The request URI for an OpenAI API path such as /chat/completions. */
    public String uri(String apiPath) {
        return pathPrefix + apiPath;
    }
}
