package dev.switchboard.router.demo;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import dev.switchboard.router.proxy.UpstreamTarget;
import dev.switchboard.router.standin.StandInExpert;
import dev.switchboard.router.table.RoutingTableHolder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code switchboard.demo=true}: starts a stand-in expert in-process for every external expert of the table that
 * points at loopback, then prints the routing decision for a few sample questions and how to call the router.
 */
@ApplicationScoped
public class DemoLauncher {
    private static final List<String> SAMPLES = List.of(
            "What is the integral of 2x from 0 to 3?",
            "Write a Java method that checks whether a string is a palindrome.",
            "What are the side effects of ibuprofen?",
            "Hey, how is it going? Any plans for the weekend?");

    private final RouterConfig config;
    private final RoutingTableHolder tables;
    private final Vertx vertx;
    private final List<StandInExpert> standIns = new ArrayList<>();

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int port;

    public DemoLauncher(RouterConfig config, RoutingTableHolder tables, Vertx vertx) {
        this.config = config;
        this.tables = tables;
        this.vertx = vertx;
    }

    /** After the table source (priority 10) has loaded the first table. */
    void start(@Observes @Priority(20) StartupEvent event) {
        if (!config.demo()) {
            return;
        }
        RoutingTable table = tables.table();
        for (ExpertInfo expert : table.experts().values()) {
            for (var endpoint : expert.endpoints()) {
                UpstreamTarget t = UpstreamTarget.of(endpoint.baseUrl());
                if (t.host().equals("127.0.0.1") || t.host().equals("localhost")) {
                    standIns.add(new StandInExpert(expert.name(), "127.0.0.1", t.port(), vertx).start());
                }
            }
        }
        StringBuilder out = new StringBuilder("\n=== Switchboard demo: ").append(standIns.size())
                .append(" stand-in experts, routing table v").append(table.version()).append(" ===\n");
        for (PolicyRoute policy : table.policies().values()) {
            out.append(String.format(Locale.ROOT, "%nmodel '%s' (policy %s, strategy %s, fallback %s):%n",
                    policy.modelName(), policy.name(), policy.strategy().type(), policy.fallback()));
            for (String q : SAMPLES) {
                Decision d = policy.strategy().decide(new Query(q), policy);
                out.append(String.format(Locale.ROOT, "  %-70s -> %-10s category=%-8s confidence=%.2f%s%n",
                        '"' + q + '"', d.expert(), d.category(), d.confidence(),
                        d.fellBack() ? " fallback: " + d.fallbackReason() : ""));
            }
            out.append(String.format(Locale.ROOT, "%nTry it:%n  curl -s -i http://127.0.0.1:%d/v1/chat/completions "
                    + "-H 'content-type: application/json' -d '{\"model\":\"%s\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Solve 3x + 7 = 22\"}]}'%n", port, policy.modelName()));
        }
        out.append(String.format(Locale.ROOT, "Decision only: POST /v1/route; models: GET /v1/models; table: "
                + "GET /q/routing; metrics: GET /q/metrics. Ctrl-C stops.%n"));
        System.out.println(out);
    }

    void stop(@Observes ShutdownEvent event) {
        standIns.forEach(StandInExpert::close);
    }
}
