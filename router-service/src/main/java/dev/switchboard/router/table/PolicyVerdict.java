package dev.switchboard.router.table;

import dev.switchboard.engine.PolicyRoute;

import java.util.Objects;

/**
 * What this router made of one generation of a policy it serves: its route in the routing table (accepted), or
 * why the table builder left it out (refused; the message names the field). Published in
 * {@code status.routingTable}, where the operator's Ready condition reads it.
 */
record PolicyVerdict(long generation, PolicyRoute route, String refusal) {
    PolicyVerdict {
        if ((route == null) == (refusal == null)) {
            throw new IllegalArgumentException("a verdict has either a route or a refusal");
        }
    }

    static PolicyVerdict accepted(long generation, PolicyRoute route) {
        return new PolicyVerdict(generation, Objects.requireNonNull(route, "route"), null);
    }

    static PolicyVerdict refused(long generation, String refusal) {
        return new PolicyVerdict(generation, null, Objects.requireNonNull(refusal, "refusal"));
    }

    boolean isAccepted() {
        return route != null;
    }
}
