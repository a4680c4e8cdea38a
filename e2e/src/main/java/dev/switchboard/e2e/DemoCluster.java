package dev.switchboard.e2e;

import dev.switchboard.api.v1alpha1.ExpertModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the demo runs: the simulated GPU cluster with the Helm chart, deploy/examples' experts and the {@code coe}
 * policy (category-policy.yaml), every expert Ready and the router answering. Shared by {@link Demo} and the soak
 * test, so the test checks exactly what a user starts. {@link #close()} stops whatever was started, also after a
 * failed or interrupted {@link #start}.
 */
public final class DemoCluster implements AutoCloseable {
    public static final String POLICY_FILE = "category-policy.yaml";
    public static final String ROUTER_SERVICE = "coe-router";
    public static final String MODEL = "switchboard-coe";

    private final Path state;
    private volatile SwitchboardOnSimCluster system;
    private volatile DemoComposition composition;
    private volatile ServiceIngress router;
    private volatile boolean closed;

    public DemoCluster(Path state) {
        this.state = state;
    }

    /** Brings everything up, reporting each step; throws naming the step that failed. */
    public DemoCluster start(Consumer<String> progress) throws InterruptedException {
        progress.accept("Starting a simulated GPU cluster (kube-apiserver, etcd, controller-manager, scheduler, kwok)...");
        system = SwitchboardOnSimCluster.start(state);
        progress.accept("Helm chart installed; applying deploy/examples (experts + the coe RoutingPolicy)...");
        composition = new DemoComposition(system.client());
        composition.applyPrerequisites().applyExperts().applyPolicy(POLICY_FILE);
        router = system.ingress(DemoComposition.NAMESPACE, ROUTER_SERVICE);
        waitFor("experts Ready", Duration.ofMinutes(3), this::expertsReady, progress);
        waitFor("router answering", Duration.ofMinutes(3),
                () -> !router.readyBackends().isEmpty() && answers(router), progress);
        return this;
    }

    public SwitchboardOnSimCluster system() {
        return system;
    }

    public ServiceIngress router() {
        return router;
    }

    /** True when every deployed example expert reports Ready=True. */
    public boolean expertsReady() {
        return DemoComposition.DEPLOYED_EXPERTS.stream().allMatch(name -> {
            ExpertModel expert = system.client().resources(ExpertModel.class).inNamespace(DemoComposition.NAMESPACE)
                    .withName(name).get();
            return expert != null && expert.getStatus() != null && expert.getStatus().isTrue("Ready");
        });
    }

    private static boolean answers(ServiceIngress router) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat(MODEL, "hello", false)))
                    .timeout(Duration.ofSeconds(10)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier condition, Consumer<String> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
        progress.accept("  " + what);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (router != null) {
            router.close();
        }
        if (composition != null) {
            composition.close();
        }
        if (system != null) {
            system.close();
        } else {
            SimCluster.stop(state); // interrupted or failed while the cluster was starting
        }
    }
}
