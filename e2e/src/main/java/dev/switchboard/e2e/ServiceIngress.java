package dev.switchboard.e2e;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP ingress on 127.0.0.1 for one Service of the simulated cluster: spreads requests over the Service's ready
 * endpoints (from its EndpointSlices, mapped to loopback by the {@link AddressMap}) and, like a production ingress,
 * retries on another endpoint when a connection fails before any response byte arrived.
 */
public final class ServiceIngress implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final AddressMap addresses;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient upstream;
    private final HttpServer server;

    public ServiceIngress(KubernetesClient client, String namespace, String service, AddressMap addresses) {
        this.addresses = addresses;
        this.slices = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service).inform();
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(1000),
                new PoolOptions().setHttp1MaxSize(512));
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ingress cannot listen", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Ready endpoints of the Service that have a process behind them, as 127.0.0.1:port. */
    public List<String> readyBackends() {
        return readyBackends("http");
    }

    /**
     * Ready endpoints of the Service's port named {@code portName} (a router has "http" and "management"), else of
     * its first port, as 127.0.0.1:port.
     */
    public List<String> readyBackends(String portName) {
        List<String> out = new ArrayList<>();
        for (EndpointSlice slice : slices.getStore().list()) {
            int port = slice.getPorts() == null || slice.getPorts().isEmpty() ? 8080 : slice.getPorts().stream()
                    .filter(p -> portName.equals(p.getName())).findFirst().orElse(slice.getPorts().get(0)).getPort();
            for (Endpoint endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
                boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (ready) {
                    for (String ip : endpoint.getAddresses()) {
                        addresses.resolve(ip, port).ifPresent(out::add);
                    }
                }
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> forward(request, body, 0)).onFailure(e -> request.response().reset());
    }

    private void forward(HttpServerRequest request, Buffer body, int attempt) {
        List<String> backends = readyBackends();
        if (backends.isEmpty() || attempt >= 5) {
            if (attempt < 5) { // no endpoint yet: wait a little, as an ingress queues while endpoints appear
                vertx.setTimer(200, t -> forward(request, body, attempt + 1));
                return;
            }
            request.response().setStatusCode(503).end("{\"error\":{\"message\":\"no ready endpoint\"}}");
            return;
        }
        String backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
        String[] hostPort = backend.split(":");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers()).remove("Host");
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(hostPort[0])
                .setPort(Integer.parseInt(hostPort[1])).setURI(request.uri()).setHeaders(headers);
        Future<HttpClientResponse> response = upstream.request(options)
                .compose(up -> up.send(body));
        response.onSuccess(up -> {
            request.response().setStatusCode(up.statusCode());
            up.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("transfer-encoding") && !name.equalsIgnoreCase("connection")) {
                    request.response().headers().add(name, value);
                }
            });
            if (!up.headers().contains("content-length")) {
                request.response().setChunked(true);
            }
            up.pipeTo(request.response());
        }).onFailure(e -> forward(request, body, attempt + 1));
    }

    @Override
    public void close() {
        slices.close();
        vertx.close();
    }
}
