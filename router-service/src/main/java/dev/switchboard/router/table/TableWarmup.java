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
        for (PolicyRoute policy : table.policies().values()) {
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
