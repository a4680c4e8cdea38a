package dev.switchboard.lab.cli;

import dev.switchboard.engine.learned.KnnPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.lab.data.RoutingDataset;
import dev.switchboard.lab.eval.CostQualityCurve;
import dev.switchboard.lab.eval.EvalData;
import dev.switchboard.lab.train.LinearTrainer;
import dev.switchboard.lab.train.RouterTrainer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Trains one strategy, choosing hyper-parameters left on "auto" (k; l2; alpha and temperature) on a dev split:
 * the given dev set, or else a seeded 20 % hold-out of the training rows; then refits on all training rows.
 */
final class TrainingRun {
    /**
     * Embedded rows: x (n x d), scores (n x m), categories (entries may be null), and alternates: per row a second
     * embedding of the same question (the question alone under {@code --prompt both}) or null; the array itself may
     * be null when no row has one. Splits work on rows, so the two texts of a question stay on one side; trainers
     * fit {@link #forFitting()}, hyper-parameters are scored on {@code x} alone.
     */
    record Matrices(float[][] x, double[][] s, String[] categories, float[][] alternates) {
        Matrices(float[][] x, double[][] s, String[] categories) {
            this(x, s, categories, null);
        }

        Matrices subset(int[] idx) {
            float[][] xx = new float[idx.length][];
            double[][] ss = new double[idx.length][];
            String[] cc = new String[idx.length];
            float[][] aa = alternates == null ? null : new float[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                xx[i] = x[idx[i]];
                ss[i] = s[idx[i]];
                cc[i] = categories[idx[i]];
                if (aa != null) {
                    aa[i] = alternates[idx[i]];
                }
            }
            return new Matrices(xx, ss, cc, aa);
        }

        /** Rows with a second text: the number of extra training rows {@link #forFitting()} adds. */
        int alternateCount() {
            return alternates == null ? 0 : (int) java.util.Arrays.stream(alternates)
                    .filter(java.util.Objects::nonNull).count();
        }

        /**
         * The rows to fit on: each row followed by its alternate embedding (same scores and category) when it has
         * one; this very object when no row has.
         */
        Matrices forFitting() {
            int extra = alternateCount();
            if (extra == 0) {
                return this;
            }
            int n = x.length + extra;
            float[][] xx = new float[n][];
            double[][] ss = new double[n][];
            String[] cc = new String[n];
            int k = 0;
            for (int i = 0; i < x.length; i++) {
                for (float[] v : alternates[i] == null ? new float[][]{x[i]} : new float[][]{x[i], alternates[i]}) {
                    xx[k] = v;
                    ss[k] = s[i];
                    cc[k] = categories[i];
                    k++;
                }
            }
            return new Matrices(xx, ss, cc, null);
        }
    }

    private final String encoderId;
    private final List<String> experts;
    private final Args args;
    private final PrintStream log;
    /** Mean cost per expert when the experts' costs differ: hyper-parameters are then chosen by curve area. */
    private final double[] costs;

    TrainingRun(String encoderId, List<String> experts, Args args, PrintStream log, double[] costs) {
        this.encoderId = encoderId;
        this.experts = experts;
        this.args = args;
        this.log = log;
        boolean differ = costs != null && java.util.Arrays.stream(costs).distinct().count() > 1;
        this.costs = differ ? costs : null;
    }

    /** Dev-split criterion: accuracy of the top choice, or the cost-quality curve's area when costs differ. */
    private double score(RouterArtifact a, Matrices check) {
        if (costs == null) {
            return RouterTrainer.accuracy(a.predictor(), check.x(), check.s());
        }
        int n = check.x().length;
        double[][] predicted = new double[n][];
        for (int i = 0; i < n; i++) {
            predicted[i] = a.predictor().predict(check.x()[i]).quality();
        }
        return score(predicted, check);
    }

    /** The same criterion on precomputed predictions (one row per check row). */
    private double score(double[][] predicted, Matrices check) {
        int n = check.x().length;
        if (costs == null) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < predicted[i].length; j++) {
                    if (predicted[i][j] > predicted[i][best]) {
                        best = j;
                    }
                }
                total += check.s()[i][best];
            }
            return n == 0 ? 0 : total / n;
        }
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            c[i] = costs;
        }
        EvalData d = new EvalData(experts, check.s(), c, check.categories());
        return CostQualityCurve.trace("classifier", predicted, d).area();
    }

    private String criterion() {
        return costs == null ? "dev accuracy" : "dev cost-quality area";
    }

    RouterArtifact train(String strategy, Matrices train, Matrices dev) {
        Matrices fitRows = train;
        Matrices check = dev;
        if (check == null) {
            // split questions before their second texts are added, so no question is on both sides
            int n = train.x().length;
            int[] perm = RoutingDataset.permutation(n, 7);
            int cut = (int) Math.round(n * 0.8);
            fitRows = train.subset(java.util.Arrays.copyOfRange(perm, 0, cut));
            check = train.subset(java.util.Arrays.copyOfRange(perm, cut, n));
        }
        Matrices fit = fitRows.forFitting();
        Matrices all = dev == null ? train.forFitting() : fit;
        Matrices ch = check; // an effectively-final copy for the tuning lambdas
        long seed = (long) args.number("seed", 42);
        RouterArtifact best;
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        // the chosen hyper-parameters as a trainer, so dev figures come from a model that never saw the dev rows
        java.util.function.Function<Matrices, RouterArtifact> chosen;
        switch (strategy) {
            case "cluster" -> {
                List<Integer> ks = new ArrayList<>();
                String k = args.get("k", "auto");
                if (k.equals("auto")) {
                    for (int c : new int[]{1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
                        if (c <= Math.max(1, fitRows.x().length / 10)) {
                            ks.add(c);
                        }
                    }
                } else {
                    for (String part : k.split(",")) {
                        ks.add(Integer.parseInt(part.trim()));
                    }
                }
                int k0 = tune(ks, c -> {
                    double acc = score(RouterTrainer.cluster(encoderId, experts, fit.x(), fit.s(), c, seed), ch);
                    log.printf(Locale.ROOT, "  cluster k=%d %s %.4f%n", c, criterion(), acc);
                    return acc;
                }).value();
                chosen = m -> RouterTrainer.cluster(encoderId, experts, m.x(), m.s(), k0, seed);
                extra.put("kCandidates", ks);
            }
            case "classifier" -> {
                List<Double> l2s = grid("l2", List.of(1e-4, 1e-3, 3e-3));
                LinearTrainer.Options base = options(seed, 20);
                Tuned<Double> l2 = tune(l2s, x -> {
                    double acc = score(RouterTrainer.classifier(encoderId, experts, fit.x(), fit.s(),
                            base.withL2(x)), ch);
                    log.printf(Locale.ROOT, "  classifier l2=%g %s %.4f%n", x, criterion(), acc);
                    return acc;
                });
                double l20 = l2.value();
                double bestAcc = l2.score();
                chosen = m -> RouterTrainer.classifier(encoderId, experts, m.x(), m.s(), base.withL2(l20));
                String model = args.get("model", "logistic");
                if (model.equals("knn")) {
                    chosen = knnChoice(fit, check, seed).trainer();
                } else if (model.equals("auto")) {
                    // logistic stays unless kNN scores better on the dev split and its artifact fits a ConfigMap
                    if (bestAcc < 0) {
                        bestAcc = score(chosen.apply(fit), check);
                    }
                    Choice knn = knnChoice(fit, check, seed);
                    long size = Math.round(knn.trainer().apply(fit).toJson().length()
                            * (double) all.x().length / fit.x().length);
                    log.printf(Locale.ROOT, "  classifier model: logistic %.4f, knn %.4f (artifact ~%d bytes)%n",
                            bestAcc, knn.score(), size);
                    boolean knnBetter = knn.score() > bestAcc + 1e-9;
                    if (knnBetter && size <= CONFIGMAP_BUDGET) {
                        chosen = knn.trainer();
                        log.println("  classifier model: knn");
                    } else {
                        log.println("  classifier model: logistic (" + (knnBetter ? "the kNN artifact would not fit "
                                + "a ConfigMap; try --centroids" : "kNN is not better") + ")");
                    }
                    extra.put("modelCandidates", List.of("logistic", "knn"));
                } else if (!model.equals("logistic")) {
                    throw new IllegalArgumentException("--model must be logistic, knn or auto (got " + model + ")");
                }
            }
            case "reward" -> {
                List<Double> alphas = grid("alpha", List.of(0.0, 0.5, 0.8, 0.9, 1.0));
                List<Double> temps = grid("temperature", List.of(1.0));
                double l2 = args.number("l2", 1e-3);
                LinearTrainer.Options base = options(seed, 30).withL2(l2);
                String tagMode = args.get("tags", "auto");
                double bestAlpha = alphas.get(0);
                double bestT = temps.get(0);
                double bestAcc = -1;
                if (alphas.size() * temps.size() > 1) {
                    String[] fitTags = tags(tagMode, fit, seed);
                    for (double alpha : alphas) {
                        for (double t : temps) {
                            RouterArtifact a = RouterTrainer.reward(encoderId, experts, fit.x(), fit.s(), fitTags, t,
                                    alpha, base);
                            double acc = score(a, check);
                            log.printf(Locale.ROOT, "  reward alpha=%.2f T=%.2f %s %.4f%n", alpha, t, criterion(),
                                    acc);
                            if (acc > bestAcc + 1e-9) {
                                bestAcc = acc;
                                bestAlpha = alpha;
                                bestT = t;
                            }
                        }
                    }
                }
                double a0 = bestAlpha;
                double t0 = bestT;
                chosen = m -> RouterTrainer.reward(encoderId, experts, m.x(), m.s(), tags(tagMode, m, seed), t0, a0,
                        base);
                extra.put("tags", tagMode);
            }
            case "knn" -> chosen = knnChoice(fit, check, seed).trainer();
            case "category" -> {
                // the classifier's own job is the category, so L2 is chosen by category accuracy on the dev split
                List<Double> l2s = grid("l2", List.of(1e-5, 1e-4, 1e-3));
                LinearTrainer.Options base = options(seed, 30);
                double l20 = tune(l2s, x -> {
                    RouterArtifact a = RouterTrainer.category(encoderId, experts, fit.x(), fit.s(), fit.categories(),
                            base.withL2(x));
                    double acc = RouterTrainer.categoryAccuracy(a.categoryPredictor(), ch.x(), ch.categories());
                    log.printf(Locale.ROOT, "  category l2=%g dev category accuracy %.4f%n", x, acc);
                    return acc;
                }).value();
                chosen = m -> RouterTrainer.category(encoderId, experts, m.x(), m.s(), m.categories(),
                        base.withL2(l20));
            }
            default -> throw new IllegalArgumentException("--strategy must be cluster, classifier, reward, knn or "
                    + "category (got " + strategy + ")");
        }
        RouterArtifact onFit = dev == null ? chosen.apply(fit) : null;
        best = chosen.apply(all);
        best.training.putAll(extra);
        if (all != train) {
            // "rows" counts fitting rows: say how many questions they came from
            best.training.put("questions", train.x().length);
        }
        RouterArtifact judged = onFit == null ? best : onFit;
        best.training.put("devRows", check.x().length);
        best.training.put("devAccuracy", RouterTrainer.accuracy(judged.predictor(), check.x(), check.s()));
        if (best.kind.equals("category")) {
            best.training.put("devCategoryAccuracy", RouterTrainer.categoryAccuracy(judged.categoryPredictor(),
                    check.x(), check.categories()));
        }
        if (costs != null) {
            best.training.put("selectedBy", "cost-quality area on the dev split");
            best.training.put("devCostQualityArea", score(judged, check));
        }
        best.training.put("devSplit", dev == null ? "20% hold-out of the training data (seed 7)" : "given dev set");
        return best;
    }

    /** A trainer with its chosen hyper-parameters, and its dev-split score (-1 when nothing was compared). */
    record Choice(java.util.function.Function<Matrices, RouterArtifact> trainer, double score) {
    }

    /** A hyper-parameter value and its dev score (-1 when it was the only candidate and was not scored). */
    record Tuned<T>(T value, double score) {
    }

    /** The candidate scoring highest on the dev split (the first on ties); a single candidate is taken unscored. */
    static <T> Tuned<T> tune(List<T> candidates, java.util.function.ToDoubleFunction<T> score) {
        Tuned<T> best = new Tuned<>(candidates.get(0), -1);
        if (candidates.size() > 1) {
            for (T c : candidates) {
                double acc = score.applyAsDouble(c);
                if (acc > best.score() + 1e-9) {
                    best = new Tuned<>(c, acc);
                }
            }
        }
        return best;
    }

    /** kNN: k and T from a grid on the dev split; {@code --centroids N} replaces the training queries by centroids. */
    private Choice knnChoice(Matrices fit, Matrices check, long seed) {
        List<Double> ks = grid("knn-k", List.of(4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0));
        List<Double> temps = grid("knn-temperature", List.of(0.01, 0.02, 0.05, 0.1, 0.2, 1.0));
        int centroids = (int) args.number("centroids", 0);
        int kMax = ks.stream().mapToInt(Double::intValue).max().orElseThrow();
        int bestK = ks.get(0).intValue();
        double bestT = temps.get(0);
        double bestAcc = -1;
        if (ks.size() * temps.size() > 1) {
            // one neighbour search at the largest k serves every (k, T) of the grid
            KnnPredictor p = (KnnPredictor) RouterTrainer.knn(encoderId, experts, fit.x(), fit.s(), kMax, 1,
                    centroids, seed).predictor();
            KnnPredictor.Neighbours[] near = new KnnPredictor.Neighbours[check.x().length];
            for (int i = 0; i < near.length; i++) {
                near[i] = p.nearest(check.x()[i]);
            }
            for (double kk : ks) {
                for (double t : temps) {
                    double[][] predicted = new double[near.length][];
                    for (int i = 0; i < near.length; i++) {
                        predicted[i] = p.blend(near[i], (int) kk, t);
                    }
                    double acc = score(predicted, check);
                    log.printf(Locale.ROOT, "  knn k=%d T=%.3f %s %.4f%n", (int) kk, t, criterion(), acc);
                    if (acc > bestAcc + 1e-9) {
                        bestAcc = acc;
                        bestK = (int) kk;
                        bestT = t;
                    }
                }
            }
        }
        int k0 = bestK;
        double t0 = bestT;
        return new Choice(m -> RouterTrainer.knn(encoderId, experts, m.x(), m.s(), k0, t0, centroids, seed),
                bestAcc);
    }

    /** A ConfigMap holds at most 1 MiB; leave room for the YAML around the artifact. */
    static final int CONFIGMAP_BUDGET = 1_000_000;

    private LinearTrainer.Options options(long seed, int defaultEpochs) {
        LinearTrainer.Options d = LinearTrainer.Options.DEFAULT;
        return new LinearTrainer.Options((int) args.number("epochs", defaultEpochs), args.number("lr", d.learningRate()),
                d.l2(), d.batchSize(), seed);
    }

    private List<Double> grid(String name, List<Double> auto) {
        String v = args.get(name, "auto");
        if (v.equals("auto")) {
            return auto;
        }
        List<Double> out = new ArrayList<>();
        for (String p : v.split(",")) {
            try {
                out.add(Double.parseDouble(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be auto or numbers (got " + v + ")");
            }
        }
        return out;
    }

    /** Tags for label enhancement: the data's category when every row has one, else k-means clusters. */
    private String[] tags(String mode, Matrices m, long seed) {
        boolean haveCategories = java.util.Arrays.stream(m.categories()).allMatch(java.util.Objects::nonNull);
        return switch (mode) {
            case "none" -> null;
            case "category" -> {
                if (!haveCategories) {
                    throw new IllegalArgumentException("--tags category: some training rows have no category");
                }
                yield m.categories();
            }
            case "cluster" -> RouterTrainer.clusterTags(m.x(), (int) args.number("tag-clusters", 16), seed);
            case "auto" -> haveCategories ? m.categories()
                    : RouterTrainer.clusterTags(m.x(), (int) args.number("tag-clusters", 16), seed);
            default -> throw new IllegalArgumentException("--tags must be auto, category, cluster or none");
        };
    }
}
