package dev.switchboard.e2e;

import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.testing.ProjectPaths;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main command: brings up the simulated GPU cluster, installs the chart, applies the example
 * composition, prints routing decisions for sample questions and how to reach the router, and tears everything
 * down on Ctrl-C.
 */
public final class Demo {
    static final List<String> QUESTIONS = List.of(
            "What is the derivative of x^3 * sin(x)?",
            "Write a Python function that checks whether a string is a palindrome.",
            "What are the common side effects of metformin?",
            "Is a verbal agreement legally binding?",
            "Hi there! How is your day going?",
            "Tell me about bonds.",
            "What are the ethical issues of using AI in medicine and law?");

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path state = ProjectPaths.root().resolve("target/demo-cluster");
        long started = System.nanoTime();
        System.out.println("Starting a simulated GPU cluster (kube-apiserver, etcd, controller-manager, scheduler, kwok)...");
        SwitchboardOnSimCluster system = SwitchboardOnSimCluster.start(state);
        DemoComposition demo = new DemoComposition(system.client());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the demo...");
            demo.close();
            system.close();
            stopped.countDown();
        }));
        System.out.println("Helm chart installed; applying deploy/examples (experts + category RoutingPolicy)...");
        demo.applyPrerequisites().applyExperts().applyPolicy("category-policy.yaml");
        ServiceIngress router = system.ingress(DemoComposition.NAMESPACE, "coe-router");
        waitFor("experts Ready", Duration.ofMinutes(3), () -> DemoComposition.DEPLOYED_EXPERTS.stream().allMatch(name -> {
            ExpertModel expert = system.client().resources(ExpertModel.class).inNamespace(DemoComposition.NAMESPACE)
                    .withName(name).get();
            return expert != null && expert.getStatus() != null && expert.getStatus().isTrue("Ready");
        }));
        waitFor("router ready", Duration.ofMinutes(3), () -> !router.readyBackends().isEmpty() && answers(router));
        System.out.println(Cli.kubectl(system.cluster().kubeconfig(), "get", "experts,routingpolicies",
                "-n", DemoComposition.NAMESPACE).output());
        System.out.printf("Up in %d s. Routing decisions of policy 'coe' (model switchboard-coe):%n%n",
                (System.nanoTime() - started) / 1_000_000_000);
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf("%-72s %-11s %-10s %-10s %s%n", "question", "expert", "category", "confidence", "fallback");
        for (String question : QUESTIONS) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat("switchboard-coe", question, false))).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("%-72s %-11s %-10s %-10s %s%n", question,
                    header(response, "expert"), header(response, "category"), header(response, "confidence"),
                    header(response, "fallback"));
        }
        System.out.printf("%nThe router (2 replicas) answers the OpenAI API at %s :%n", router.baseUrl());
        System.out.printf("  curl -s %s/chat/completions -H 'content-type: application/json' \\%n"
                + "    -d '{\"model\":\"switchboard-coe\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 17*23?\"}]}' -i%n",
                router.baseUrl());
        System.out.printf("  export KUBECONFIG=%s ; kubectl get experts -n demo%n", system.cluster().kubeconfig());
        System.out.println("\nPress Ctrl-C to stop.");
        stopped.await();
    }

    private static boolean answers(ServiceIngress router) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/chat/completions"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat("switchboard-coe", "hello", false)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue("x-switchboard-" + name).orElse("-");
    }

    private static void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
        System.out.println("  " + what);
    }
}
