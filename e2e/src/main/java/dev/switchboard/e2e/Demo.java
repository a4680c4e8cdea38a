package dev.switchboard.e2e;

import dev.switchboard.testing.ProjectPaths;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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

    public static void main(String[] args) {
        boolean check = List.of(args).contains("--check");
        Path state = ProjectPaths.root().resolve("target/demo-cluster");
        // beside the state directory, which each start wipes
        Path log = Path.of(System.getProperty("switchboard.demo.log", "target/demo.log"));
        long started = System.nanoTime();
        DemoCluster demo = new DemoCluster(state);
        CountDownLatch stopped = new CountDownLatch(1);
        // registered first, so Ctrl-C during start-up also stops whatever has been started
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopped.getCount() > 0) {
                System.out.println("\nStopping the demo...");
            }
            demo.close();
            stopped.countDown();
        }));
        try {
            demo.start(System.out::println);
            int failed = printDecisions(demo, started);
            if (check) { // CI: prove the command works, then stop
                System.out.println(failed == 0 ? "Demo check passed." : "demo failed: " + failed + " of "
                        + QUESTIONS.size() + " questions were not answered with 200. Full log: " + log);
                System.exit(failed == 0 ? 0 : 1);
            }
        } catch (Exception e) {
            e.printStackTrace(); // stderr goes to the log (hack/demo.sh)
            System.out.println("demo failed: " + oneLine(e) + ". Full log: " + log);
            stopped.countDown();
            System.exit(1);
        }
        System.out.println("\nPress Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints the decision table; returns how many questions were not answered with 200. */
    private static int printDecisions(DemoCluster demo, long started) throws Exception {
        ServiceIngress router = demo.router();
        System.out.println(Cli.kubectl(demo.system().cluster().kubeconfig(), "get", "experts,routingpolicies",
                "-n", DemoComposition.NAMESPACE).output());
        System.out.printf("Up in %d s. Routing decisions of policy 'coe' (model %s):%n%n",
                (System.nanoTime() - started) / 1_000_000_000, DemoCluster.MODEL);
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf("%-72s %-11s %-10s %-10s %s%n", "question", "expert", "category", "confidence", "fallback");
        int failed = 0;
        for (String question : QUESTIONS) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(E2eRequests.chat(DemoCluster.MODEL, question, false)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            failed += response.statusCode() == 200 ? 0 : 1;
            System.out.printf("%-72s %-11s %-10s %-10s %s%n", question,
                    header(response, "expert"), header(response, "category"), header(response, "confidence"),
                    header(response, "fallback"));
        }
        System.out.printf("%nThe router (2 replicas) answers the OpenAI API at %s :%n", router.baseUrl());
        System.out.printf("  curl -s %s/chat/completions -H 'content-type: application/json' \\%n"
                + "    -d '{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 17*23?\"}]}' -i%n",
                router.baseUrl(), DemoCluster.MODEL);
        System.out.printf("  export KUBECONFIG=%s ; kubectl get experts -n demo%n", demo.system().cluster().kubeconfig());
        System.out.println("Next: docs/quickstart.md takes the same composition to a GPU cluster with real vLLM.");
        return failed;
    }

    /** The innermost cause's message, on one line: what the user needs to see first. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e == root ? String.valueOf(e.getMessage())
                : e.getMessage() + (root.getMessage() == null || e.getMessage().contains(root.getMessage()) ? ""
                : " (" + root.getMessage() + ")");
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue("x-switchboard-" + name).orElse("-");
    }
}
