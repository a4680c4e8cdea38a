package dev.switchboard.e2e.bench;

import dev.switchboard.api.v1alpha1.AutoscalingSpec;
import dev.switchboard.operator.autoscale.ExpertDemand;
import dev.switchboard.operator.autoscale.ScaleDecision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * A discrete-event simulation (one-second steps) of a day of bursty traffic over ten experts, one GPU per replica,
 * driven by the operator's real autoscaler rule ({@link ScaleDecision}, {@link ExpertDemand} semantics) and the
 * router's holding rule (a request for an expert without a ready replica waits up to maxWait, else goes to the
 * always-on generalist). Compares GPU-hours of scale-to-zero with holding against always-on experts (the same
 * autoscaler with minReplicas 1). Deterministic (fixed seed). Not a measurement of a cluster: arrivals, service
 * and load times are modelled; docs/benchmarks.md says which.
 */
public final class EconomicsSimulation {
    /** The parameters of one run. */
    public record Setup(int experts, int minReplicas, Duration loadTime, Duration serviceTime, Duration maxWait,
                        int targetInFlight, Duration scaleDownDelay, long seed) {
    }

    /** What a day cost and how requests fared. */
    public record Result(double gpuHours, long requests, long waited, long fellBack, long[] waitsMillis) {
        public double waitedShare() {
            return requests == 0 ? 0 : (double) waited / requests;
        }

        public double fellBackShare() {
            return requests == 0 ? 0 : (double) fellBack / requests;
        }

        public long waitPercentile(double q) {
            if (waitsMillis.length == 0) {
                return 0;
            }
            return waitsMillis[Math.min(waitsMillis.length - 1, (int) Math.ceil(q * waitsMillis.length) - 1)];
        }
    }

    static final int DAY = 86_400;
    static final int RECONCILE_EVERY = 10;
    static final int DEMAND_WINDOW = 5;

    private EconomicsSimulation() {
    }

    /** Requests per second of expert {@code e} at second {@code t}: a day curve, Zipf popularity and bursts. */
    static double[][] rates(Setup s, Random random) {
        double[][] rate = new double[s.experts()][DAY];
        for (int e = 0; e < s.experts(); e++) {
            double peak = 0.6 / (e + 1); // expert 0: 0.6 req/s at midday, expert 9: 0.06
            for (int t = 0; t < DAY; t++) {
                double hour = t / 3600.0;
                double day = Math.max(0, Math.sin(Math.PI * (hour - 7) / 14)); // 07:00..21:00, quiet at night
                rate[e][t] = peak * day * day;
            }
            int bursts = 2 + random.nextInt(4); // a few bursts a day, at any hour, 5-20 minutes at 5 x midday
            for (int b = 0; b < bursts; b++) {
                int start = random.nextInt(DAY - 1200);
                int length = 300 + random.nextInt(900);
                for (int t = start; t < start + length; t++) {
                    rate[e][t] += 5 * peak;
                }
            }
        }
        return rate;
    }

    public static Result run(Setup s) {
        Random random = new Random(s.seed());
        double[][] rate = rates(s, random);
        AutoscalingSpec spec = new AutoscalingSpec();
        spec.minReplicas = s.minReplicas();
        spec.maxReplicas = 8;
        spec.targetInFlightPerReplica = s.targetInFlight();
        spec.scaleDownDelay = s.scaleDownDelay().toSeconds() + "s";
        int service = (int) s.serviceTime().toSeconds();
        int load = (int) s.loadTime().toSeconds();
        int maxWait = (int) s.maxWait().toSeconds();
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

        long gpuSeconds = 0;
        long requests = 0;
        long waited = 0;
        long fellBack = 0;
        List<Long> waits = new ArrayList<>();
        for (int e = 0; e < s.experts(); e++) {
            int replicas = s.minReplicas(); // spec.replicas
            Deque<Integer> readyAt = new ArrayDeque<>(); // per replica started, the second it is ready
            for (int r = 0; r < replicas; r++) {
                readyAt.add(0);
            }
            Instant lastBusy = null;
            Deque<Integer> held = new ArrayDeque<>(); // arrival seconds of held requests
            int[] ending = new int[DAY + service + 1]; // requests finishing at second t
            int inFlight = 0;
            int windowPeak = 0;
            long windowRequests = 0;
            boolean nudge = false;
            for (int t = 0; t < DAY; t++) {
                inFlight -= ending[t];
                int ready = 0;
                for (int at : readyAt) {
                    ready += at <= t ? 1 : 0;
                }
                // held requests go to the expert once a replica is ready; or to the fallback past maxWait
                while (!held.isEmpty() && (ready > 0 || t - held.peekFirst() >= maxWait)) {
                    int arrived = held.pollFirst();
                    if (ready > 0) {
                        waits.add((t - arrived) * 1000L);
                        waited++;
                        ending[t + service]++;
                        inFlight++;
                    } else {
                        fellBack++;
                    }
                }
                int arrivals = poisson(random, rate[e][t]);
                requests += arrivals;
                windowRequests += arrivals;
                for (int i = 0; i < arrivals; i++) {
                    if (ready > 0) {
                        ending[t + service]++;
                        inFlight++;
                    } else {
                        if (held.isEmpty()) {
                            nudge = true; // the router reports the first held request within a second
                        }
                        held.add(t);
                    }
                }
                windowPeak = Math.max(windowPeak, inFlight + held.size());
                if (t % RECONCILE_EVERY == 0 || nudge) {
                    ExpertDemand demand = new ExpertDemand(windowPeak, windowRequests, held.size(), 0);
                    ScaleDecision d = ScaleDecision.decide(spec, replicas, demand, lastBusy, t0.plusSeconds(t));
                    lastBusy = d.lastBusy();
                    while (readyAt.size() < d.replicas()) {
                        readyAt.add(t + (nudge ? 1 : 0) + load);
                    }
                    while (readyAt.size() > d.replicas()) {
                        readyAt.pollLast();
                    }
                    replicas = d.replicas();
                    nudge = false;
                }
                if (t % DEMAND_WINDOW == 0) {
                    windowPeak = inFlight + held.size();
                    windowRequests = 0;
                }
                gpuSeconds += readyAt.size();
            }
        }
        long[] w = waits.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(gpuSeconds / 3600.0, requests, waited, fellBack, w);
    }

    private static int poisson(Random random, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    public static void main(String[] args) {
        for (Duration load : List.of(Duration.ofSeconds(30), Duration.ofSeconds(120))) {
            Setup zero = new Setup(10, 0, load, Duration.ofSeconds(4), Duration.ofSeconds(180), 8,
                    Duration.ofMinutes(10), 42);
            Setup on = new Setup(10, 1, load, Duration.ofSeconds(4), Duration.ofSeconds(180), 8,
                    Duration.ofMinutes(10), 42);
            print("always-on (min 1)", on, run(on));
            print("scale to zero + holding", zero, run(zero));
        }
    }

    static void print(String label, Setup s, Result r) {
        System.out.printf("[economics-sim] %-24s load %3ds: %6.1f GPU-h, %d requests, waited %.2f%% (p50 %d s, p99 %d "
                        + "s), fell back %.3f%%%n", label, s.loadTime().toSeconds(), r.gpuHours(), r.requests(),
                100 * r.waitedShare(), r.waitPercentile(0.5) / 1000, r.waitPercentile(0.99) / 1000,
                100 * r.fellBackShare());
    }
}
