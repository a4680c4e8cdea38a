package dev.switchboard.router.picking;

import dev.switchboard.engine.Endpoint;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.table.RoutingTableHolder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads every replica's load from vLLM's Prometheus endpoint ({@code /metrics} beside the OpenAI API) into
 * {@link ReplicaLoads}, one round per {@code switchboard.picking.metrics.interval}. Bounded: only the ready endpoints
 * of the routing table being served (a replica that left is dropped at the next round), only plain-http ones (vLLM
 * pods; hosted APIs are https), {@code concurrency} reads at once, each with a timeout and a size cap, a round
 * never overlapping the previous one, and an endpoint that does not answer like vLLM left alone for a minute.
 */
@Singleton
public class VllmLoadScraper {
    private static final Logger LOG = Logger.getLogger(VllmLoadScraper.class);
    static final int MAX_BODY_BYTES = 4 << 20;
    static final long BACKOFF_NANOS = 60_000_000_000L;

    private final Vertx vertx;
    private final Supplier<RoutingTable> tables;
    private final ReplicaLoads loads;
    private final RouterConfig.PickingMetrics config;
    private final Map<String, Long> leftAloneUntil = new ConcurrentHashMap<>();
    private final Map<String, URI> uris = new ConcurrentHashMap<>();
    private HttpClient client;
    private long timer = -1;
    private volatile boolean roundRunning;
    private volatile long rounds;

    @Inject
    public VllmLoadScraper(Vertx vertx, RoutingTableHolder tables, ReplicaLoads loads, RouterConfig config) {
        this(vertx, tables::table, loads, config.picking().metrics());
    }

    /** @param tables the routing table being served, read at the start of every round */
    public VllmLoadScraper(Vertx vertx, Supplier<RoutingTable> tables, ReplicaLoads loads,
                           RouterConfig.PickingMetrics config) {
        this.vertx = vertx;
        this.tables = tables;
        this.loads = loads;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts reading, once per interval (unless switchboard.picking.metrics.enabled is false). */
    public void start() {
        if (!config.enabled() || timer >= 0) {
            return;
        }
        int timeoutMs = (int) Math.max(1, config.timeout().toMillis());
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(1).setMaxWaitQueueSize(4));
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> round());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (client != null) {
            client.close();
        }
    }

    /** Rounds completed so far (for tests). */
    public long rounds() {
        return rounds;
    }

    private void round() {
        if (roundRunning) {
            return;
        }
        Set<String> endpoints = endpoints(tables.get());
        loads.retainOnly(endpoints);
        leftAloneUntil.keySet().retainAll(endpoints);
        uris.keySet().retainAll(endpoints);
        long now = System.nanoTime();
        Deque<String> queue = new ArrayDeque<>();
        for (String e : endpoints) {
            Long until = leftAloneUntil.get(e);
            if (until == null || now - until > 0) {
                queue.add(e);
            }
        }
        if (queue.isEmpty()) {
            rounds++;
            return;
        }
        roundRunning = true;
        int[] open = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            while (open[0] < Math.max(1, config.concurrency()) && !queue.isEmpty()) {
                String endpoint = queue.poll();
                open[0]++;
                scrape(endpoint, () -> {
                    open[0]--;
                    if (queue.isEmpty() && open[0] == 0) {
                        roundRunning = false;
                        rounds++;
                    } else {
                        next[0].run();
                    }
                });
            }
        };
        next[0].run();
    }

    /** The plain-http endpoints of every expert in the table. */
    static Set<String> endpoints(RoutingTable table) {
        Set<String> out = new LinkedHashSet<>();
        for (ExpertInfo e : table.experts().values()) {
            addHttp(e, out);
        }
        for (PolicyRoute p : table.policies().values()) {
            for (ExpertInfo e : p.experts().values()) {
                addHttp(e, out);
            }
        }
        return out;
    }

    private static void addHttp(ExpertInfo expert, Set<String> out) {
        for (Endpoint e : expert.endpoints()) {
            if (e.baseUrl().startsWith("http://")) {
                out.add(e.baseUrl());
            }
        }
    }

    private void scrape(String endpoint, Runnable done) {
        URI uri;
        try {
            uri = uris.computeIfAbsent(endpoint, VllmLoadScraper::metricsUri);
        } catch (IllegalArgumentException e) {
            leaveAlone(endpoint, e.getMessage());
            done.run();
            return;
        }
        boolean[] over = {false};
        Runnable finish = () -> {
            if (!over[0]) {
                over[0] = true;
                done.run();
            }
        };
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath()).putHeader("accept", "text/plain")
                .setConnectTimeout(Math.max(1, config.timeout().toMillis()));
        long deadline = vertx.setTimer(Math.max(1, config.timeout().toMillis() * 2), id -> finish.run());
        client.request(options).compose(req -> req.send()).onComplete(ar -> {
            if (ar.failed()) {
                vertx.cancelTimer(deadline);
                leaveAlone(endpoint, ar.cause().toString());
                finish.run();
                return;
            }
            var resp = ar.result();
            if (resp.statusCode() != 200) {
                vertx.cancelTimer(deadline);
                resp.request().reset();
                leaveAlone(endpoint, "HTTP " + resp.statusCode());
                finish.run();
                return;
            }
            Buffer body = Buffer.buffer(64 * 1024);
            resp.handler(chunk -> {
                if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                    resp.request().reset();
                    leaveAlone(endpoint, "/metrics larger than " + MAX_BODY_BYTES + " bytes");
                    return;
                }
                body.appendBuffer(chunk);
            });
            resp.exceptionHandler(t -> {
                vertx.cancelTimer(deadline);
                finish.run();
            });
            resp.endHandler(v -> {
                vertx.cancelTimer(deadline);
                ReplicaLoad load = VllmMetrics.parse(body.toString(java.nio.charset.StandardCharsets.UTF_8),
                        System.nanoTime());
                if (load == null) {
                    leaveAlone(endpoint, "no vllm:num_requests_running or vllm:num_requests_waiting on /metrics");
                } else {
                    loads.put(endpoint, load);
                }
                finish.run();
            });
        });
    }

    private void leaveAlone(String endpoint, String why) {
        if (leftAloneUntil.put(endpoint, System.nanoTime() + BACKOFF_NANOS) == null) {
            LOG.debugf("not reading the load of %s for a minute: %s", endpoint, why);
        }
    }

    /** http://host:port/prefix/v1 → http://host:port/prefix/metrics (vLLM serves /metrics beside /v1). */
    static URI metricsUri(String baseUrl) {
        URI base = URI.create(baseUrl);
        if (base.getHost() == null) {
            throw new IllegalArgumentException("no host in " + baseUrl);
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - 3);
        }
        int port = base.getPort() > 0 ? base.getPort() : 80;
        return URI.create("http://" + base.getHost() + ":" + port + path + "/metrics");
    }
}
