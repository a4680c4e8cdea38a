package dev.switchboard.router.shadow;

import dev.switchboard.api.v1alpha1.ShadowStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this router replica saw of one shadow on one live policy, for one generation of each: decisions, agreement
 * per category, disagreement pairs, shed decisions and samples, and the recent decision times of both. It also
 * remembers what it has already published into the shadow policy's status, so that each replica adds only its
 * news to the sum there. Bounded: at most {@link ShadowStatus#MAX_CATEGORIES} categories and
 * {@link #MAX_PAIRS} expert pairs (further ones count in the totals only), {@link #LATENCIES} times per side.
 */
final class ShadowTally {
    static final int MAX_PAIRS = 1024;
    static final int LATENCIES = 1024;

    final String live;
    final String shadow;
    final long liveGeneration;
    final long shadowGeneration;
    final Instant since = Instant.now();

    private final Counts counts = new Counts();
    private final Counts published = new Counts();
    private final long[] liveNanos = new long[LATENCIES];
    private final long[] shadowNanos = new long[LATENCIES];
    private long timed;

    ShadowTally(String live, String shadow, long liveGeneration, long shadowGeneration) {
        this.live = live;
        this.shadow = shadow;
        this.liveGeneration = liveGeneration;
        this.shadowGeneration = shadowGeneration;
    }

    /** Counts of one kind: all seen, or the part already published. */
    static final class Counts {
        long decisions;
        long agreed;
        long shed;
        long samples;
        final Map<String, long[]> categories = new TreeMap<>(); // category -> {decisions, agreed}
        final Map<List<String>, Long> pairs = new HashMap<>();   // [live expert, shadow expert] -> count

        boolean isEmpty() {
            return decisions == 0 && shed == 0 && samples == 0;
        }

        Counts copy() {
            Counts c = new Counts();
            c.add(this, 1);
            return c;
        }

        /** this += sign * other */
        void add(Counts other, int sign) {
            decisions += sign * other.decisions;
            agreed += sign * other.agreed;
            shed += sign * other.shed;
            samples += sign * other.samples;
            other.categories.forEach((k, v) -> {
                long[] mine = categories.computeIfAbsent(k, x -> new long[2]);
                mine[0] += sign * v[0];
                mine[1] += sign * v[1];
            });
            categories.values().removeIf(v -> v[0] == 0 && v[1] == 0);
            other.pairs.forEach((k, v) -> pairs.merge(k, sign * v, Long::sum));
            pairs.values().removeIf(v -> v == 0);
        }
    }

    synchronized void decided(String category, String liveExpert, String shadowExpert, long liveTime,
                              long shadowTime) {
        boolean agreed = liveExpert != null && liveExpert.equals(shadowExpert);
        counts.decisions++;
        if (agreed) {
            counts.agreed++;
        }
        long[] c = counts.categories.get(category);
        if (c == null && counts.categories.size() < ShadowStatus.MAX_CATEGORIES) {
            c = new long[2];
            counts.categories.put(category, c);
        }
        if (c != null) {
            c[0]++;
            c[1] += agreed ? 1 : 0;
        }
        if (!agreed) {
            List<String> pair = List.of(String.valueOf(liveExpert), String.valueOf(shadowExpert));
            if (counts.pairs.containsKey(pair) || counts.pairs.size() < MAX_PAIRS) {
                counts.pairs.merge(pair, 1L, Long::sum);
            }
        }
        int slot = (int) (timed++ % LATENCIES);
        liveNanos[slot] = liveTime;
        shadowNanos[slot] = shadowTime;
    }

    synchronized void shed() {
        counts.shed++;
    }

    synchronized void sampled() {
        counts.samples++;
    }

    /** Everything seen, for /q/shadow and tests. */
    synchronized Counts total() {
        return counts.copy();
    }

    /** Seen but not yet published. */
    synchronized Counts unpublished() {
        Counts news = counts.copy();
        news.add(published, -1);
        return news;
    }

    /** {@code news} (from {@link #unpublished()}) is now part of the published status. */
    synchronized void published(Counts news) {
        published.add(news, 1);
    }

    /** Median and 99th percentile of the recent decision times, ms: {live p50, live p99, shadow p50, shadow p99}. */
    synchronized double[] latencyMillis() {
        int n = (int) Math.min(timed, LATENCIES);
        if (n == 0) {
            return null;
        }
        long[] l = Arrays.copyOf(liveNanos, n);
        long[] s = Arrays.copyOf(shadowNanos, n);
        Arrays.sort(l);
        Arrays.sort(s);
        return new double[] {ms(l, 0.5), ms(l, 0.99), ms(s, 0.5), ms(s, 0.99)};
    }

    private static double ms(long[] sorted, double q) {
        long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        return Math.round(v / 1_000.0) / 1_000.0;
    }

    /** The most frequent pairs of {@code counts}, at most {@code n}, ties by name. */
    static List<Map.Entry<List<String>, Long>> top(Counts counts, int n) {
        List<Map.Entry<List<String>, Long>> all = new ArrayList<>(counts.pairs.entrySet());
        all.sort(Comparator.<Map.Entry<List<String>, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(e -> String.join("\0", e.getKey())));
        return all.subList(0, Math.min(n, all.size()));
    }
}
