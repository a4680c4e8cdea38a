package dev.switchboard.lab.bench;

import dev.switchboard.engine.encoder.Encoders;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.lab.data.EmbeddingCache;
import dev.switchboard.lab.data.LabeledQuery;
import dev.switchboard.lab.data.RoutingDataset;
import dev.switchboard.lab.train.LinearTrainer;
import dev.switchboard.lab.train.RouterTrainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * kNN alone and averaged with the logistic classifier / the reward router, on mmlu-pro. Every choice (kNN k and T,
 * ensemble weight) is made on the CLI's seeded 20 % hold-out of the training file; the chosen configuration is then
 * refit on the whole training file and scored once on dev. Classifier L2 1e-3 and reward alpha 0.9 are the CLI's
 * hold-out choices. Args: train.jsonl dev.jsonl experts.
 */
public final class KnnEnsembleBench {
    private static final int[] KS = {4, 8, 16, 32, 64, 128, 256, 512};
    private static final double[] TS = {0.01, 0.02, 0.05, 0.1, 0.2, 1.0};
    private static final double[] WEIGHTS = {0, 0.25, 0.5, 0.75, 1};

    record Split(float[][] x, double[][] s, String[] c) {
        Split take(int[] idx) {
            float[][] xx = new float[idx.length][];
            double[][] ss = new double[idx.length][];
            String[] cc = new String[idx.length];
            for (int i = 0; i < idx.length; i++) {
                xx[i] = x[idx[i]];
                ss[i] = s[idx[i]];
                cc[i] = c[idx[i]];
            }
            return new Split(xx, ss, cc);
        }
    }

    public static void main(String[] args) {
        List<String> experts = List.of(args[2].split(","));
        Split train = load(Path.of(args[0]), experts);
        Split dev = load(Path.of(args[1]), experts);
        int n = train.x().length;
        int[] perm = RoutingDataset.permutation(n, 7); // the CLI's hold-out split
        int cut = (int) Math.round(n * 0.8);
        Split fit = train.take(Arrays.copyOfRange(perm, 0, cut));
        Split hold = train.take(Arrays.copyOfRange(perm, cut, n));

        double best = -1;
        int bestK = 0;
        double bestT = 0;
        var knnFit = (dev.switchboard.engine.learned.KnnPredictor) RouterTrainer.knn("x", experts, fit.x(), fit.s(),
                512, 1, 0, 42).predictor();
        var near = Arrays.stream(hold.x()).map(knnFit::nearest).toList();
        for (int k : KS) {
            for (double t : TS) {
                double[][] p = near.stream().map(nb -> knnFit.blend(nb, k, t)).toArray(double[][]::new);
                double acc = accuracy(p, hold.s());
                if (acc > best + 1e-9) {
                    best = acc;
                    bestK = k;
                    bestT = t;
                }
            }
        }
        System.out.printf("hold-out: knn best k=%d T=%.2f %.4f%n", bestK, bestT, best);
        Models onFit = new Models(experts, fit, bestK, bestT);
        double[][] kh = onFit.predict(onFit.knn, hold.x());
        double[][] ch = onFit.predict(onFit.classifier, hold.x());
        double[][] rh = onFit.predict(onFit.reward, hold.x());
        System.out.printf("hold-out: classifier %.4f reward %.4f knn %.4f%n", accuracy(ch, hold.s()),
                accuracy(rh, hold.s()), accuracy(kh, hold.s()));
        double wc = chooseWeight("knn+classifier", kh, ch, false, hold.s());
        double wr = chooseWeight("knn+reward", kh, rh, true, hold.s());

        Models all = new Models(experts, train, bestK, bestT);
        double[][] kd = all.predict(all.knn, dev.x());
        double[][] cd = all.predict(all.classifier, dev.x());
        double[][] rd = all.predict(all.reward, dev.x());
        System.out.printf("dev: classifier %.4f reward %.4f knn(k=%d T=%.2f) %.4f knn+classifier(w=%.2f) %.4f "
                        + "knn+reward(w=%.2f) %.4f%n", accuracy(cd, dev.s()), accuracy(rd, dev.s()), bestK, bestT,
                accuracy(kd, dev.s()), wc, accuracy(mix(kd, cd, wc, false), dev.s()), wr,
                accuracy(mix(kd, rd, wr, true), dev.s()));
    }

    /** The three predictors trained on one split with fixed hyper-parameters. */
    static final class Models {
        final QualityPredictor knn;
        final QualityPredictor classifier;
        final QualityPredictor reward;

        Models(List<String> experts, Split d, int k, double t) {
            knn = RouterTrainer.knn("x", experts, d.x(), d.s(), k, t, 0, 42).predictor();
            classifier = RouterTrainer.classifier("x", experts, d.x(), d.s(),
                    new LinearTrainer.Options(20, 0.01, 1e-3, 64, 42)).predictor();
            reward = RouterTrainer.reward("x", experts, d.x(), d.s(), d.c(), 1.0, 0.9,
                    new LinearTrainer.Options(30, 0.01, 1e-3, 64, 42)).predictor();
        }

        double[][] predict(QualityPredictor p, float[][] x) {
            return Arrays.stream(x).map(v -> p.predict(v).quality()).toArray(double[][]::new);
        }
    }

    static double chooseWeight(String name, double[][] knn, double[][] other, boolean normalise, double[][] s) {
        double best = -1;
        double bestW = 0;
        for (double w : WEIGHTS) {
            double acc = accuracy(mix(knn, other, w, normalise), s);
            System.out.printf("hold-out: %s w_knn=%.2f %.4f%n", name, w, acc);
            if (acc > best + 1e-9) {
                best = acc;
                bestW = w;
            }
        }
        return bestW;
    }

    /** w * knn + (1 - w) * other; with normalise, kNN success rates are first scaled to sum to 1 like a softmax. */
    static double[][] mix(double[][] knn, double[][] other, double w, boolean normalise) {
        double[][] out = new double[knn.length][];
        for (int i = 0; i < knn.length; i++) {
            double sum = normalise ? Arrays.stream(knn[i]).sum() : 1;
            out[i] = new double[knn[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = w * knn[i][j] / (sum == 0 ? 1 : sum) + (1 - w) * other[i][j];
            }
        }
        return out;
    }

    static double accuracy(double[][] p, double[][] s) {
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            int b = 0;
            for (int j = 1; j < p[i].length; j++) {
                if (p[i][j] > p[i][b]) {
                    b = j;
                }
            }
            total += s[i][b];
        }
        return total / p.length;
    }

    static Split load(Path file, List<String> experts) {
        List<LabeledQuery> rows = RoutingDataset.withExperts(RoutingDataset.read(file), experts);
        EmbeddingCache cache = new EmbeddingCache(Encoders.miniLm(), EmbeddingCache.defaultDirectory());
        float[][] x = cache.embedAll(rows.stream().map(LabeledQuery::text).toList(), 2, i -> { });
        return new Split(x, RoutingDataset.scoreMatrix(rows, experts),
                rows.stream().map(LabeledQuery::category).toArray(String[]::new));
    }
}
