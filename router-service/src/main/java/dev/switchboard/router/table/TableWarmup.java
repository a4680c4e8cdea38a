package dev.switchboard.router.table;

import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.RoutingTable;
import org.jboss.logging.Logger;

/**
 * Runs a few decisions on a freshly built table before it is served, so the encoder (ONNX session, caches) and
 * the JIT are warm when the first client request arrives; readiness waits for the first warmed table.
 */
final class TableWarmup {
    private static final Logger LOG = Logger.getLogger(TableWarmup.class);
    private static final String[] SAMPLES = {"warm up the router", "What is the derivative of x^2?",
            "Write a function that sorts a list"};

    private TableWarmup() {
    }

    static void warm(RoutingTable table) {
        java.util.List<PolicyRoute> deciding = new java.util.ArrayList<>(table.policies().values());
        table.shadows().values().forEach(s -> deciding.add(s.policy()));
        for (PolicyRoute policy : deciding) {
            if (policy.strategy().blocking()) {
                continue; // would call a model
            }
            try {
                for (String sample : SAMPLES) {
                    policy.strategy().decide(new Query(sample), policy);
                }
            } catch (RuntimeException e) {
                LOG.warnf("warm-up decision of policy %s failed: %s", policy.name(), e.toString());
            }
        }
    }
}
