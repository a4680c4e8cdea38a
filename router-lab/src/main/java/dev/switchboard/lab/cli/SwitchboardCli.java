package dev.switchboard.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.switchboard.engine.Encoder;
import dev.switchboard.engine.encoder.Encoders;
import dev.switchboard.engine.encoder.HashingEncoder;
import dev.switchboard.engine.encoder.MiniLmEncoder;
import dev.switchboard.engine.encoder.VectorMath;
import dev.switchboard.engine.learned.CategoryPredictor;
import dev.switchboard.engine.learned.ExpertSelector;
import dev.switchboard.engine.learned.QualityPredictor;
import dev.switchboard.engine.learned.RouterArtifact;
import dev.switchboard.engine.strategy.Uncertainty;
import dev.switchboard.lab.data.EmbeddingCache;
import dev.switchboard.lab.data.LabeledQuery;
import dev.switchboard.lab.data.PromptFormat;
import dev.switchboard.lab.data.RoutingDataset;
import dev.switchboard.lab.eval.CostQualityCurve;
import dev.switchboard.lab.eval.CurvePlot;
import dev.switchboard.lab.eval.EvalData;
import dev.switchboard.lab.eval.EvalReport;
import dev.switchboard.lab.eval.Evaluator;
import dev.switchboard.lab.eval.PairedDifference;
import dev.switchboard.lab.eval.PngCurvePlot;
import dev.switchboard.lab.eval.RouterResult;
import dev.switchboard.lab.eval.SvgCurvePlot;
import dev.switchboard.lab.shadow.ShadowSampleScore;
import dev.switchboard.lab.train.RouterTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Offline router tooling: {@code train} (data -> artifact), {@code eval} (artifacts or strategies, data -> report)
 * and {@code route} (artifact, text -> decision). Run {@code hack/switchboard-cli help}.
 */
public final class SwitchboardCli {
    private static final Set<String> COMMON = Set.of("experts", "encoder", "cache-dir", "threads", "seed", "k", "l2",
            "epochs", "lr", "alpha", "temperature", "tags", "tag-clusters", "costs",
            "knn-k", "knn-temperature", "centroids", "model", "prompt");
    static final Set<String> TRAIN = union(COMMON, "data", "dev", "strategy", "out", "configmap",
            "configmap-out", "namespace", "key");
    static final Set<String> EVAL = union(COMMON, "data", "train", "dev", "strategy", "artifact", "threshold",
            "fallback", "expensive", "target", "json", "svg", "png", "test-fraction", "save-artifacts");
    static final Set<String> ROUTE = union(Set.of("cache-dir"), "artifact", "text", "cost-weight", "costs",
            "threshold");
    static final Set<String> SHADOW = Set.of("samples", "labels", "json");
    private static final String USAGE = """
            usage: switchboard-cli <train|eval|route|shadow> [options]
              train --data train.jsonl [--dev dev.jsonl] --strategy cluster|classifier|reward|knn|category [--experts a,b]
                    [--encoder all-minilm-l6-v2-q|hashing-v1] [--k auto|N] [--l2 auto|x] [--alpha auto|a]
                    [--temperature auto|T] [--tags auto|category|cluster|none] [--epochs N]
                    [--model logistic|knn|auto (classifier; auto: kNN if better on the dev split and < 1 MB)]
                    [--knn-k auto|k,...] [--knn-temperature auto|T,...] [--centroids 0|N (knn over N k-means centroids)]
                    --out router.json [--configmap NAME [--namespace NS] [--key router.json] [--configmap-out cm.yaml]]
              eval  --data dev.jsonl [--train train.jsonl --strategy cluster,classifier,reward,category]
                    [--artifact a.json[,b.json...] (each further router is also compared with the first)] [--experts a,b] [--costs a=1,b=10] [--threshold 0.5,0.7] [--fallback expert]
                    [--expensive expert --target 0.95] [--json report.json] [--svg curve.svg] [--png curve.png]
                    [--test-fraction 0.2 (split --data into train/test instead of --train)]
                    [--save-artifacts DIR (write the routers trained by eval as DIR/<strategy>.json)]
                    (--costs "*=1" sets the default cost; a row's cost_usd wins; --threshold: classifier
                    thresholdCheapest, category: top posterior below it goes to --fallback, default the train-best)
              route --artifact router.json --text "..." [--cost-weight L --costs a=1,b=10] [--threshold t]
              shadow --samples http://127.0.0.1:9000/q/shadow/samples|samples.json[l] (repeatable)
                    [--labels labels.jsonl ({"question": ..., "expert": e | "experts": [..] | "answer": "B"} per line)]
                    [--json report.json]
                    (agreement of a shadow policy with its live policy on the sampled answer pairs, per category;
                    with labels, the accuracy of each side: the expert chosen, or the answer starting with the label)
            Common: --prompt question+options|question|both (text trained on: the question and, when a row has
                    "options", its options as "A. ..." lines, as a client's prompt would carry them; default
                    question+options; both: every training row with options also trains as the bare question, for
                    clients sending either; dev and eval rows are read as question+options, hold-out splits keep a
                    question's texts together)
            Training (train, and eval with --train): [--seed 42] [--lr 0.01 (Adam step)]
                    [--tag-clusters 16 (--tags cluster)] [--threads 2 (embedding threads)]
            category: a softmax classifier of the rows' category field (every training row needs one); eval routes
                    each query to the best expert (on train) of its predicted category and reports the category accuracy.
            Embeddings are cached under ~/.cache/switchboard/embeddings (--cache-dir to change).
            """;

    private final PrintStream out;
    private final PrintStream err;

    SwitchboardCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help")) {
            out.print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        SwitchboardCli cli = new SwitchboardCli(out, err);
        try {
            switch (argv[0]) {
                case "train" -> cli.train(new Args(argv, 1, TRAIN, Set.of()));
                case "eval" -> cli.eval(new Args(argv, 1, EVAL, Set.of()));
                case "route" -> cli.route(new Args(argv, 1, ROUTE, Set.of()));
                case "shadow" -> cli.shadow(new Args(argv, 1, SHADOW, Set.of()));
                default -> throw new IllegalArgumentException("unknown command " + argv[0] + "\n" + USAGE);
            }
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    // ---- shadow ----

    void shadow(Args a) {
        List<String> sources = a.list("samples");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("--samples is required (a router's /q/shadow/samples URL or a file)");
        }
        List<com.fasterxml.jackson.databind.JsonNode> samples = new ArrayList<>();
        for (String source : sources) {
            samples.addAll(ShadowSampleScore.read(readSource(source)));
        }
        Map<String, ShadowSampleScore.Label> labels = a.get("labels", null) == null ? Map.of()
                : ShadowSampleScore.labels(readSource(a.get("labels", null)));
        var report = ShadowSampleScore.score(samples, labels);
        out.print(ShadowSampleScore.table(report));
        if (a.get("json", null) != null) {
            write(Path.of(a.get("json", null)), report.toPrettyString());
        }
    }

    /** A file, or the body of a GET on an http(s) URL. */
    private static String readSource(String source) {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            try {
                var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(source)).timeout(java.time.Duration.ofSeconds(30)).GET()
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalArgumentException(source + ": HTTP " + response.statusCode());
                }
                return response.body();
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalArgumentException(source + ": interrupted");
            }
        }
        try {
            return Files.readString(Path.of(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    // ---- train ----

    void train(Args a) {
        Path outFile = Path.of(a.require("out"));
        String strategy = a.require("strategy");
        Encoder encoder = encoder(a.get("encoder", MiniLmEncoder.ID));
        List<LabeledQuery> rows = RoutingDataset.read(Path.of(a.require("data")), prompt(a));
        List<String> experts = experts(a, rows);
        rows = RoutingDataset.withExperts(rows, experts);
        requireCategoriesFor(strategy, rows);
        TrainingRun.Matrices train = embed(a, encoder, rows, experts, "train", true);
        TrainingRun.Matrices dev = null;
        if (a.get("dev", null) != null) {
            List<LabeledQuery> devRows = RoutingDataset.withExperts(
                    RoutingDataset.read(Path.of(a.get("dev", null)), prompt(a)), experts);
            requireCategoriesFor(strategy, devRows);
            dev = embed(a, encoder, devRows, experts, "dev", false);
        }
        EvalData d = EvalData.of(rows, experts, a.pairs("costs"));
        RouterArtifact artifact = new TrainingRun(encoder.id(), experts, a, err, d.meanCosts())
                .train(strategy, train, dev);
        artifact.training.put("data", a.require("data"));
        artifact.training.put("prompt", prompt(a).flag());
        if (d.hasCosts()) {
            Map<String, Double> costs = new LinkedHashMap<>();
            double[] mean = d.meanCosts();
            for (int j = 0; j < experts.size(); j++) {
                costs.put(experts.get(j), mean[j]);
            }
            artifact.costs = costs;
        }
        write(outFile, artifact.toJson());
        err.printf(Locale.ROOT, "wrote %s (%s, %d experts, dev accuracy %.4f%s)%n", outFile, artifact.kind,
                experts.size(), (Double) artifact.training.get("devAccuracy"),
                artifact.training.containsKey("devCategoryAccuracy") ? String.format(Locale.ROOT,
                        ", dev category accuracy %.4f", (Double) artifact.training.get("devCategoryAccuracy")) : "");
        String cm = a.get("configmap", null);
        if (cm != null) {
            String yaml = configMapYaml(cm, a.get("namespace", null), a.get("key", "router.json"), artifact.toJson());
            String cmOut = a.get("configmap-out", null);
            if (cmOut == null) {
                out.print(yaml);
            } else {
                write(Path.of(cmOut), yaml);
                err.println("wrote ConfigMap " + cm + " to " + cmOut);
            }
        }
    }

    private static PromptFormat prompt(Args a) {
        return PromptFormat.parse(a.get("prompt", PromptFormat.QUESTION_AND_OPTIONS.flag()));
    }

    static String configMapYaml(String name, String namespace, String key, String json) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        // ordered maps throughout: Map.of iterates in a per-JVM order, and a committed manifest must regenerate
        // byte for byte
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/part-of", "switchboard");
        labels.put("switchboard.dev/artifact", "router");
        meta.put("labels", labels);
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        cm.put("metadata", meta);
        cm.put("data", Map.of(key, json));
        try {
            return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                    .writeValueAsString(cm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- eval ----

    void eval(Args a) {
        Path dataFile = Path.of(a.require("data"));
        List<LabeledQuery> rows = RoutingDataset.read(dataFile, prompt(a));
        List<LabeledQuery> heldOutTrain = null;
        if (a.get("test-fraction", null) != null) {
            // one file split into train and test (seeded), for data without a separate dev set; rows are split
            // before --prompt both adds their second texts (at embedding), so a question stays on one side
            double f = a.number("test-fraction", 0.2);
            if (f <= 0 || f >= 1 || a.get("train", null) != null) {
                throw new IllegalArgumentException("--test-fraction must be in (0, 1) and excludes --train");
            }
            int[] perm = RoutingDataset.permutation(rows.size(), 11);
            int cut = (int) Math.round(rows.size() * (1 - f));
            List<LabeledQuery> tr = new ArrayList<>();
            List<LabeledQuery> te = new ArrayList<>();
            for (int i = 0; i < perm.length; i++) {
                (i < cut ? tr : te).add(rows.get(perm[i]));
            }
            heldOutTrain = tr;
            rows = te;
        }
        List<RouterArtifact> artifacts = new ArrayList<>();
        for (String f : a.list("artifact")) {
            artifacts.add(readArtifact(Path.of(f)));
        }
        List<String> experts = a.list("experts").isEmpty() && !artifacts.isEmpty()
                ? artifacts.get(0).experts : experts(a, rows);
        rows = RoutingDataset.withExperts(rows, experts);
        Map<String, Double> costTable = a.pairs("costs");
        EvalData d = EvalData.of(rows, experts, costTable);
        String encoderId = a.get("encoder", artifacts.isEmpty() ? MiniLmEncoder.ID : artifacts.get(0).encoder);
        Encoder encoder = encoder(encoderId);

        EvalData trainData = null;
        List<String> strategies = a.list("strategy");
        if (a.get("train", null) != null || heldOutTrain != null) {
            List<LabeledQuery> trainRows = RoutingDataset.withExperts(heldOutTrain != null ? heldOutTrain
                    : RoutingDataset.read(Path.of(a.get("train", null)), prompt(a)), experts);
            trainData = EvalData.of(trainRows, experts, costTable);
            if (!strategies.isEmpty()) {
                for (String s : strategies) {
                    requireCategoriesFor(s, trainRows);
                }
                TrainingRun.Matrices tm = embed(a, encoder, trainRows, experts, "train", true);
                TrainingRun.Matrices dm = null;
                if (a.get("dev", null) != null) {
                    List<LabeledQuery> devRows = RoutingDataset.withExperts(
                            RoutingDataset.read(Path.of(a.get("dev", null)), prompt(a)), experts);
                    for (String s : strategies) {
                        requireCategoriesFor(s, devRows);
                    }
                    dm = embed(a, encoder, devRows, experts, "dev", false);
                }
                TrainingRun run = new TrainingRun(encoder.id(), experts, a, err, trainData.meanCosts());
                for (String s : strategies) {
                    long t0 = System.nanoTime();
                    RouterArtifact art = run.train(s, tm, dm);
                    err.printf(Locale.ROOT, "trained %s in %.1f s%n", s, (System.nanoTime() - t0) / 1e9);
                    art.training.put("data", heldOutTrain != null ? dataFile + " (train split)" : a.get("train", null));
                    art.training.put("prompt", prompt(a).flag());
                    if (a.get("save-artifacts", null) != null) {
                        write(Path.of(a.get("save-artifacts", null), s + ".json"), art.toJson());
                    }
                    artifacts.add(art);
                }
            }
        } else if (!strategies.isEmpty()) {
            throw new IllegalArgumentException("--strategy in eval needs --train (or give --artifact)");
        }
        if (artifacts.isEmpty()) {
            err.println("no router to evaluate (give --artifact or --train with --strategy): reporting baselines");
        }
        for (RouterArtifact art : artifacts) {
            if (!art.encoder.equals(encoder.id())) {
                throw new IllegalArgumentException("artifact " + art.kind + " was trained with encoder " + art.encoder
                        + " but this evaluation uses " + encoder.id() + " (set --encoder " + art.encoder + ")");
            }
        }
        float[][] x = artifacts.isEmpty() ? null : embed(a, encoder, rows, experts, "eval", false).x();

        int m = experts.size();
        int bestSingle = Evaluator.bestSingle(d);
        int trainBest = trainData == null ? bestSingle : Evaluator.bestSingle(trainData);
        int fallback = a.get("fallback", null) == null ? trainBest : indexOf(experts, a.get("fallback", null));
        double[] meanCosts = d.meanCosts();
        List<EvalReport.ExpertRow> expertRows = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            expertRows.add(new EvalReport.ExpertRow(experts.get(j),
                    Evaluator.score(experts.get(j), Evaluator.always(j, d.size()), d).accuracy(), meanCosts[j]));
        }
        int[] singleChoice = Evaluator.always(bestSingle, d.size());
        RouterResult single = Evaluator.score("best single (" + experts.get(bestSingle) + ")", singleChoice, d);
        RouterResult perCategory = null;
        int[] perCategoryChoice = null;
        RouterResult categoryCeiling = null;
        boolean hasCategories = java.util.Arrays.stream(d.categories()).anyMatch(java.util.Objects::nonNull);
        if (trainData != null && hasCategories) {
            perCategoryChoice = Evaluator.byCategory(Evaluator.bestPerCategory(trainData), trainBest, d);
            perCategory = Evaluator.score("best per category (on train)", perCategoryChoice, d);
        }
        if (hasCategories) {
            categoryCeiling = Evaluator.score("category ceiling (fit on eval)",
                    Evaluator.byCategory(Evaluator.bestPerCategory(d), bestSingle, d), d);
        }
        List<PairedDifference> differences = new ArrayList<>();
        List<RouterResult> results = new ArrayList<>();
        List<CostQualityCurve> curves = new ArrayList<>();
        List<EvalReport.Budget> budgets = new ArrayList<>();
        boolean[] all = new boolean[m];
        java.util.Arrays.fill(all, true);
        int expensive = a.get("expensive", null) == null ? VectorMath.argmax(meanCosts)
                : indexOf(experts, a.get("expensive", null));
        double target = a.number("target", 0.95);
        String firstName = null;
        int[] firstChoice = null;
        for (RouterArtifact art : artifacts) {
            String name = describe(art);
            double[][] predicted = predict(art, experts, x);
            int[] choice = choose(ExpertSelector.BEST, predicted, meanCosts, all, fallback);
            RouterResult result = Evaluator.score(name, choice, d);
            // several routers at once (e.g. --artifact a.json,b.json): each is also compared with the first
            if (firstChoice == null) {
                firstName = name;
                firstChoice = choice;
            } else {
                differences.add(PairedDifference.of(name, choice, firstName, firstChoice, d));
            }
            if (art.kind.equals("category") && hasCategories) {
                result = result.withCategoryAccuracy(RouterTrainer.categoryAccuracy(art.categoryPredictor(), x,
                        d.categories()));
            }
            results.add(result);
            differences.add(PairedDifference.of(name, choice, single.name(), singleChoice, d));
            if (perCategoryChoice != null) {
                differences.add(PairedDifference.of(name, choice, perCategory.name(), perCategoryChoice, d));
            }
            if (art.kind.equals("classifier")) {
                for (String t : a.list("threshold")) {
                    double tau = Double.parseDouble(t);
                    results.add(Evaluator.score(name + " thresholdCheapest t=" + t,
                            choose(ExpertSelector.thresholdCheapest(tau), predicted, meanCosts, all, fallback), d));
                }
            }
            if (art.kind.equals("category")) {
                for (String t : a.list("threshold")) {
                    results.add(unsureToFallback(name, art.categoryPredictor(), Double.parseDouble(t), x, predicted,
                            meanCosts, all, fallback, d));
                }
            }
            if (d.hasCosts()) {
                CostQualityCurve curve = CostQualityCurve.trace("costAware/" + name, predicted, d);
                curves.add(curve);
                double expAcc = expertRows.get(expensive).accuracy();
                budgets.add(new EvalReport.Budget(curve.name(), experts.get(expensive), expAcc, target,
                        curve.fewestCallsTo(experts.get(expensive), target * expAcc)));
            }
        }
        EvalReport report = new EvalReport(dataFile + (heldOutTrain != null ? " (test split)" : ""), d.size(), expertRows, single, perCategory,
                Evaluator.score("oracle", Evaluator.oracle(d), d), Evaluator.random(d), results,
                curves.isEmpty() ? null : curves, budgets.isEmpty() ? null : budgets, categoryCeiling,
                differences.isEmpty() ? null : differences);
        out.print(report.toTable());
        if (a.get("json", null) != null) {
            write(Path.of(a.get("json", null)), report.toJson());
        }
        if (a.get("svg", null) != null || a.get("png", null) != null) {
            CurvePlot plot = CurvePlot.of(curves, report);
            if (a.get("svg", null) != null) {
                write(Path.of(a.get("svg", null)), SvgCurvePlot.render(plot));
            }
            if (a.get("png", null) != null) {
                Path png = Path.of(a.get("png", null));
                try {
                    PngCurvePlot.write(plot, png);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static int[] choose(ExpertSelector sel, double[][] predicted, double[] costs, boolean[] allowed,
                                int fallback) {
        int[] choice = new int[predicted.length];
        for (int i = 0; i < choice.length; i++) {
            int c = sel.choose(predicted[i], costs, allowed).chosen();
            choice[i] = c < 0 ? fallback : c;
        }
        return choice;
    }

    /**
     * The two-step router with the serving uncertainty rule (metric maxProb): a query whose top category posterior
     * is below {@code threshold} goes to the fallback expert.
     */
    private static RouterResult unsureToFallback(String name, CategoryPredictor cp, double threshold, float[][] x,
                                                 double[][] predicted, double[] costs, boolean[] allowed,
                                                 int fallback, EvalData d) {
        int[] choice = new int[d.size()];
        for (int i = 0; i < choice.length; i++) {
            boolean unsure = Uncertainty.confidence(Uncertainty.MAX_PROB, cp.posteriors(x[i])) < threshold;
            choice[i] = unsure ? fallback : ExpertSelector.BEST.choose(predicted[i], costs, allowed).chosen();
        }
        return Evaluator.score(name + " maxProb<" + threshold + " to fallback", choice, d);
    }

    /** Predicted quality per row over the evaluation's experts; experts the artifact lacks get -1 (never chosen). */
    static double[][] predict(RouterArtifact art, List<String> experts, float[][] x) {
        QualityPredictor p = art.predictor();
        int[] map = new int[experts.size()];
        for (int j = 0; j < map.length; j++) {
            map[j] = art.experts.indexOf(experts.get(j));
        }
        double[][] out = new double[x.length][experts.size()];
        for (int i = 0; i < x.length; i++) {
            double[] q = p.predict(x[i]).quality();
            for (int j = 0; j < map.length; j++) {
                out[i][j] = map[j] < 0 ? -1 : q[map[j]];
            }
        }
        return out;
    }

    /** The router's name in reports: kind and chosen hyper-parameters, plus the training text when not the default. */
    private static String describe(RouterArtifact a) {
        Object prompt = a.training.get("prompt");
        String suffix = prompt == null || PromptFormat.QUESTION_AND_OPTIONS.flag().equals(prompt) ? ""
                : " prompt=" + prompt;
        return describeModel(a) + suffix;
    }

    private static String describeModel(RouterArtifact a) {
        return switch (a.kind) {
            case "cluster" -> "cluster k=" + a.training.get("k");
            case "classifier" -> "knn".equals(a.model)
                    ? String.format(Locale.ROOT, "classifier knn k=%s T=%s%s", a.knnK, a.knnTemperature,
                    a.knnWeights == null ? "" : " centroids=" + a.knnWeights.length)
                    : "classifier l2=" + a.training.get("l2");
            case "reward" -> String.format(Locale.ROOT, "reward a=%s T=%s", a.training.get("alpha"),
                    a.training.get("temperature"));
            case "category" -> "category l2=" + a.training.get("l2");
            default -> a.kind;
        };
    }

    // ---- route ----

    void route(Args a) {
        RouterArtifact art = readArtifact(Path.of(a.require("artifact")));
        Encoder encoder = encoder(art.encoder);
        float[] embedding = encoder.embed(a.require("text"));
        double[] q = art.predictor().predict(embedding).quality();
        Map<String, Double> costTable = a.pairs("costs");
        double[] cost = new double[art.experts.size()];
        boolean[] all = new boolean[cost.length];
        for (int j = 0; j < cost.length; j++) {
            String e = art.experts.get(j);
            cost[j] = costTable.getOrDefault(e, art.costs == null ? 0 : art.costs.getOrDefault(e, 0.0));
            all[j] = true;
        }
        ExpertSelector sel = a.get("threshold", null) != null
                ? ExpertSelector.thresholdCheapest(a.number("threshold", 0))
                : a.get("cost-weight", null) != null ? ExpertSelector.costAware(a.number("cost-weight", 0))
                : ExpertSelector.BEST;
        ExpertSelector.Choice c = sel.choose(q, cost, all);
        out.println(c.chosen() < 0 ? "(fallback: no expert clears the threshold)" : art.experts.get(c.chosen()));
        if (art.kind.equals("category")) {
            out.println("  " + categoryLine(art.categoryPredictor(), embedding) + "; predicted = mean training score "
                    + "on that category");
        }
        for (int j : c.order()) {
            out.printf(Locale.ROOT, "  %-40s predicted %.4f  cost %.4g%n", art.experts.get(j), q[j], cost[j]);
        }
    }

    /** "category math p 0.9100 (then physics 0.0500, chemistry 0.0200)": the top three posteriors. */
    static String categoryLine(CategoryPredictor cp, float[] embedding) {
        double[] p = cp.posteriors(embedding);
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < p.length; c++) {
            order.add(c);
        }
        order.sort((x, y) -> Double.compare(p[y], p[x]));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "category %s p %.4f (then",
                cp.categories().get(order.get(0)), p[order.get(0)]));
        for (int i = 1; i < Math.min(3, order.size()); i++) {
            s.append(String.format(Locale.ROOT, "%s %s %.4f", i > 1 ? "," : "", cp.categories().get(order.get(i)),
                    p[order.get(i)]));
        }
        return s.append(')').toString();
    }

    // ---- shared ----

    static Encoder encoder(String id) {
        return switch (id) {
            case MiniLmEncoder.ID -> Encoders.miniLm();
            case HashingEncoder.ID, "hashing" -> new HashingEncoder();
            default -> throw new IllegalArgumentException("--encoder must be " + MiniLmEncoder.ID + " or "
                    + HashingEncoder.ID + " (got " + id + ")");
        };
    }

    /** Embeds the rows' texts; training rows ({@code training}) also their second texts under --prompt both. */
    private TrainingRun.Matrices embed(Args a, Encoder encoder, List<LabeledQuery> rows, List<String> experts,
                                       String label, boolean training) {
        Path dir = a.get("cache-dir", null) == null ? EmbeddingCache.defaultDirectory() : Path.of(a.get("cache-dir", null));
        EmbeddingCache cache = new EmbeddingCache(encoder, dir);
        List<String> texts = new ArrayList<>(rows.stream().map(LabeledQuery::text).toList());
        if (training) {
            rows.stream().map(LabeledQuery::alternateText).filter(java.util.Objects::nonNull).forEach(texts::add);
        }
        int threads = (int) a.number("threads", 2);
        float[][] all = cache.embedAll(texts, threads, new ProgressBar("embedding " + label, texts.size(), err));
        float[][] x = java.util.Arrays.copyOf(all, rows.size());
        float[][] alternates = null;
        if (all.length > rows.size()) {
            alternates = new float[rows.size()][];
            int k = rows.size();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).alternateText() != null) {
                    alternates[i] = all[k++];
                }
            }
        }
        String[] categories = rows.stream().map(LabeledQuery::category).toArray(String[]::new);
        return new TrainingRun.Matrices(x, RoutingDataset.scoreMatrix(rows, experts), categories, alternates);
    }

    private static void requireCategoriesFor(String strategy, List<LabeledQuery> rows) {
        if (strategy.equals("category")) {
            RoutingDataset.requireCategories(rows, "--strategy category");
        }
    }

    private static List<String> experts(Args a, List<LabeledQuery> rows) {
        List<String> experts = a.list("experts");
        if (experts.isEmpty()) {
            experts = RoutingDataset.commonExperts(rows);
        }
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("no expert is scored on every row; pass --experts");
        }
        return experts;
    }

    private static RouterArtifact readArtifact(Path file) {
        try {
            return RouterArtifact.parse(Files.readString(file), "artifact " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int indexOf(List<String> experts, String name) {
        int i = experts.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("expert " + name + " is not among the evaluated experts " + experts);
        }
        return i;
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        return s;
    }
}
