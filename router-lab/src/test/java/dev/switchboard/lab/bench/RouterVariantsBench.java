package dev.switchboard.lab.bench;

import dev.switchboard.engine.encoder.Encoders;
import dev.switchboard.engine.learned.LinearModel;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.lab.data.EmbeddingCache;
import dev.switchboard.lab.data.LabeledQuery;
import dev.switchboard.lab.data.RoutingDataset;
import dev.switchboard.lab.train.LinearTrainer;
import dev.switchboard.lab.train.RouterTrainer;

import java.nio.file.Path;
import java.util.List;

/**
 * Exploratory comparison of router variants on mmlu-pro train -> dev (embeddings from the CLI cache).
 * Run after test-compile with the test classpath (see hack/bench-routing-quality.sh latency); args: train.jsonl
 * dev.jsonl experts [modes: cls,rew,alpha,ens,catfeat,clu]. Exploration only: it scores on dev.
 */
public final class RouterVariantsBench {
    static float[][] augment(float[][] x, LinearModel cat) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] p = cat.predict(x[i]);
            out[i] = java.util.Arrays.copyOf(x[i], x[i].length + p.length);
            for (int j = 0; j < p.length; j++) {
                out[i][x[i].length + j] = (float) p[j];
            }
        }
        return out;
    }

    public static void main(String[] args) {
        List<String> experts = List.of(args[2].split(","));
        List<LabeledQuery> train = RoutingDataset.withExperts(RoutingDataset.read(Path.of(args[0])), experts);
        List<LabeledQuery> dev = RoutingDataset.withExperts(RoutingDataset.read(Path.of(args[1])), experts);
        EmbeddingCache cache = new EmbeddingCache(Encoders.miniLm(), EmbeddingCache.defaultDirectory());
        float[][] xt = cache.embedAll(train.stream().map(LabeledQuery::text).toList(), 2, i -> { });
        float[][] xd = cache.embedAll(dev.stream().map(LabeledQuery::text).toList(), 2, i -> { });
        double[][] st = RoutingDataset.scoreMatrix(train, experts);
        double[][] sd = RoutingDataset.scoreMatrix(dev, experts);
        String[] cats = train.stream().map(LabeledQuery::category).toArray(String[]::new);
        String mode = args.length > 3 ? args[3] : "all";
        if (mode.contains("cls")) {
            for (double l2 : new double[]{1e-3, 3e-3, 1e-2, 3e-2}) {
                for (int ep : new int[]{20, 60}) {
                    RouterArtifact a = RouterTrainer.classifier("x", experts, xt, st,
                            LinearTrainer.Options.DEFAULT.withL2(l2).withEpochs(ep));
                    System.out.printf("classifier l2=%g ep=%d dev %.4f%n", l2, ep,
                            RouterTrainer.accuracy(a.predictor(), xd, sd));
                }
            }
        }
        if (mode.contains("rew")) {
            for (double l2 : new double[]{1e-4, 1e-3, 1e-2}) {
                for (double alpha : new double[]{0.6, 0.9}) {
                    for (double t : new double[]{1.0, 3.0}) {
                        RouterArtifact a = RouterTrainer.reward("x", experts, xt, st, cats, t, alpha,
                                LinearTrainer.Options.DEFAULT.withL2(l2).withEpochs(30));
                        System.out.printf("reward l2=%g a=%.1f T=%.1f dev %.4f%n", l2, alpha, t,
                                RouterTrainer.accuracy(a.predictor(), xd, sd));
                    }
                }
            }
        }
        if (mode.contains("alpha")) {
            for (double alpha : new double[]{0.0, 0.5, 0.8, 0.9, 0.95, 1.0}) {
                RouterArtifact a = RouterTrainer.reward("x", experts, xt, st, cats, 1.0, alpha,
                        LinearTrainer.Options.DEFAULT.withL2(1e-3).withEpochs(30));
                System.out.printf("reward l2=1e-3 a=%.2f T=1 dev %.4f%n", alpha, RouterTrainer.accuracy(a.predictor(), xd, sd));
            }
        }
        if (mode.contains("ens")) {
            QualityPredictor cls = RouterTrainer.classifier("x", experts, xt, st,
                    LinearTrainer.Options.DEFAULT.withL2(1e-3).withEpochs(20)).predictor();
            QualityPredictor rew = RouterTrainer.reward("x", experts, xt, st, cats, 1.0, 0.9,
                    LinearTrainer.Options.DEFAULT.withL2(1e-3).withEpochs(30)).predictor();
            QualityPredictor clu = RouterTrainer.cluster("x", experts, xt, st, 32, 1).predictor();
            QualityPredictor[][] combos = {{cls, rew}, {cls, clu}, {rew, clu}, {cls, rew, clu}};
            String[] names = {"cls+rew", "cls+clu", "rew+clu", "all3"};
            for (int c = 0; c < combos.length; c++) {
                QualityPredictor[] parts = combos[c];
                QualityPredictor ens = e -> {
                    double[] sum = new double[experts.size()];
                    for (QualityPredictor p : parts) {
                        double[] q = p.predict(e).quality();
                        double mean = java.util.Arrays.stream(q).average().orElse(0);
                        double spread = Math.sqrt(java.util.Arrays.stream(q).map(v -> (v - mean) * (v - mean)).average().orElse(0)) + 1e-9;
                        for (int j = 0; j < sum.length; j++) {
                            sum[j] += (q[j] - mean) / spread;
                        }
                    }
                    return new QualityPredictor.Prediction(sum, null);
                };
                System.out.printf("ensemble %s dev %.4f%n", names[c], RouterTrainer.accuracy(ens, xd, sd));
            }
        }
        if (mode.contains("catfeat")) {
            // category posterior (softmax regression on the embedding) appended to the embedding
            List<String> names = java.util.Arrays.stream(cats).distinct().sorted().toList();
            double[][] onehot = new double[cats.length][names.size()];
            for (int i = 0; i < cats.length; i++) {
                onehot[i][names.indexOf(cats[i])] = 1;
            }
            LinearModel catModel = LinearTrainer.train(LinearModel.Link.SOFTMAX, xt, onehot,
                    LinearTrainer.Options.DEFAULT.withL2(1e-4).withEpochs(30));
            float[][] at = augment(xt, catModel);
            float[][] ad = augment(xd, catModel);
            for (double l2 : new double[]{1e-4, 1e-3}) {
                RouterArtifact c = RouterTrainer.classifier("x", experts, at, st,
                        LinearTrainer.Options.DEFAULT.withL2(l2).withEpochs(20));
                System.out.printf("classifier+catposterior l2=%g dev %.4f%n", l2, RouterTrainer.accuracy(c.predictor(), ad, sd));
                RouterArtifact r = RouterTrainer.reward("x", experts, at, st, cats, 1.0, 0.9,
                        LinearTrainer.Options.DEFAULT.withL2(l2).withEpochs(30));
                System.out.printf("reward+catposterior l2=%g dev %.4f%n", l2, RouterTrainer.accuracy(r.predictor(), ad, sd));
            }
        }
        if (mode.contains("clu")) {
            for (int k : new int[]{16, 32, 64, 96, 128}) {
                double[] avg = new double[1];
                for (long seed = 1; seed <= 3; seed++) {
                    RouterArtifact a = RouterTrainer.cluster("x", experts, xt, st, k, seed);
                    avg[0] += RouterTrainer.accuracy(a.predictor(), xd, sd) / 3;
                }
                System.out.printf("cluster k=%d mean over 3 seeds dev %.4f%n", k, avg[0]);
            }
        }
    }
}
