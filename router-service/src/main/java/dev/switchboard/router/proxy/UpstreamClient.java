package dev.switchboard.router.proxy;

import dev.switchboard.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The one HTTP client used for all expert calls: keep-alive pooled connections, HTTP/1.1, no Nagle. */
@ApplicationScoped
public class UpstreamClient {
    private final HttpClient client;

    public UpstreamClient(Vertx vertx, RouterConfig config) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setTryUseCompression(false)
                .setVerifyHost(true)
                .setMaxRedirects(0)
                .setDecompressionSupported(false);
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.upstream().maxConnectionsPerEndpoint())
                .setMaxWaitQueueSize(config.overload().upstreamWaitQueue());
        this.client = vertx.createHttpClient(options, pool);
    }

    public HttpClient client() {
        return client;
    }

    void stop(@Observes ShutdownEvent event) {
        client.close();
    }
}
