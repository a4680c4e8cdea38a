package dev.switchboard.engine.strategy;

import dev.switchboard.engine.PolicyRoute;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Builds a failover ranking: distinct experts, best first, silently skipping unroutable ones. */
public final class Ranking {
    private final PolicyRoute policy;
    private final LinkedHashSet<String> experts = new LinkedHashSet<>();

    public Ranking(PolicyRoute policy) {
        this.policy = policy;
    }

    /** Adds {@code expert} when it is routable and not ranked yet; returns whether it was added. */
    public boolean add(String expert) {
        return expert != null && policy.isRoutable(expert) && experts.add(expert);
    }

    public Ranking addAll(Iterable<String> names) {
        for (String n : names) {
            add(n);
        }
        return this;
    }

    /** Adds routable generalists (expertise.generalist), by name. */
    public Ranking addGeneralists() {
        policy.experts().values().stream().filter(e -> e.generalist() && e.routable()).map(e -> e.name()).sorted()
                .forEach(this::add);
        return this;
    }

    public boolean isEmpty() {
        return experts.isEmpty();
    }

    public List<String> list() {
        return new ArrayList<>(experts);
    }
}
