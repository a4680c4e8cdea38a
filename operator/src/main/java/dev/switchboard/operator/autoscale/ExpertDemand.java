package dev.switchboard.operator.autoscale;

import dev.switchboard.api.v1alpha1.DemandStatus;
import dev.switchboard.api.v1alpha1.RoutingPolicy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Set;

/**
 * One expert's demand summed over the fresh reports routers wrote into their policies' {@code status.demand}:
 * requests in flight whose first choice was the expert (or one of its adapters), held or not, served or diverted.
 * A report is fresh for three of its windows; older ones are from routers that stopped and are ignored.
 *
 * @param inFlight  most requests at once, summed over routers
 * @param requests  requests in the reports' windows
 * @param held      requests held now for the expert to start
 * @param diverted  requests sent elsewhere because it was down, cold or saturated
 */
public record ExpertDemand(int inFlight, long requests, int held, long diverted) {
    public static final ExpertDemand NONE = new ExpertDemand(0, 0, 0, 0);
    static final int FRESH_WINDOWS = 3;

    /** Any sign that someone wants the expert. */
    public boolean any() {
        return inFlight > 0 || requests > 0 || held > 0 || diverted > 0;
    }

    /** @param names the expert's name and the names of its adapters */
    public static ExpertDemand of(Set<String> names, Collection<RoutingPolicy> policies, Instant now) {
        int inFlight = 0;
        long requests = 0;
        int held = 0;
        long diverted = 0;
        for (RoutingPolicy p : policies) {
            if (p.getStatus() == null || p.getStatus().demand == null) {
                continue;
            }
            for (DemandStatus report : p.getStatus().demand.values()) {
                if (report == null || report.experts == null || !fresh(report, now)) {
                    continue;
                }
                for (String name : names) {
                    DemandStatus.ExpertDemand d = report.experts.get(name);
                    if (d != null) {
                        inFlight += d.inFlight == null ? 0 : d.inFlight;
                        requests += d.requests == null ? 0 : d.requests;
                        held += d.held == null ? 0 : d.held;
                        diverted += d.diverted == null ? 0 : d.diverted;
                    }
                }
            }
        }
        return new ExpertDemand(inFlight, requests, held, diverted);
    }

    static boolean fresh(DemandStatus report, Instant now) {
        if (report.observedAt == null) {
            return false;
        }
        try {
            long window = report.windowSeconds == null || report.windowSeconds < 1 ? 5 : report.windowSeconds;
            return Instant.parse(report.observedAt).plus(Duration.ofSeconds(window * FRESH_WINDOWS)).isAfter(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
