package dev.switchboard.lab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** train / eval / route end to end on synthetic JSON lines with the hashing encoder. */
class SwitchboardCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return SwitchboardCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Math queries: "mathy" (cost 2) is right; poetry queries: "poet" (cost 1) is right; "big" (cost 20) both. */
    private Path data(String name, int n, long seed) throws Exception {
        String[] math = {"solve", "equation", "integral", "algebra", "derivative", "matrix"};
        String[] poem = {"poem", "verse", "rhyme", "sonnet", "stanza", "metaphor"};
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean isMath = i % 2 == 0;
            String[] words = isMath ? math : poem;
            String q = words[r.nextInt(6)] + " " + words[r.nextInt(6)] + " " + words[r.nextInt(6)] + " item" + i;
            int big = r.nextDouble() < 0.8 ? 1 : 0;
            lines.add(String.format(Locale.ROOT, "{\"id\":\"q%d\",\"category\":\"%s\",\"question\":\"%s\","
                            + "\"scores\":{\"mathy\":%d,\"poet\":%d,\"big\":%d},"
                            + "\"cost_usd\":{\"mathy\":2,\"poet\":1,\"big\":20}}",
                    i, isMath ? "math" : "poetry", q, isMath ? 1 : 0, isMath ? 0 : 1, big));
        }
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return f;
    }

    @Test
    void helpNamesEveryOptionTheCommandsAccept() {
        assertThat(run("help")).isZero();
        String usage = out.toString();
        for (java.util.Set<String> options : List.of(SwitchboardCli.TRAIN, SwitchboardCli.EVAL, SwitchboardCli.ROUTE)) {
            for (String option : options) {
                assertThat(usage).as("--" + option).containsPattern("--" + java.util.regex.Pattern.quote(option) + "\\b");
            }
        }
    }

    @Test
    void trainEvalRouteAndConfigMap() throws Exception {
        Path train = data("train.jsonl", 200, 1);
        Path dev = data("dev.jsonl", 60, 2);
        Path artifact = dir.resolve("router.json");
        Path cm = dir.resolve("cm.yaml");
        String cache = dir.resolve("cache").toString();
        assertThat(run("train", "--data", train.toString(), "--strategy", "classifier", "--encoder", "hashing-v1",
                "--experts", "mathy,poet", "--out", artifact.toString(), "--cache-dir", cache,
                "--configmap", "math-router", "--namespace", "team", "--configmap-out", cm.toString()))
                .as(err.toString()).isZero();
        JsonNode a = new ObjectMapper().readTree(artifact.toFile());
        assertThat(a.get("kind").asText()).isEqualTo("classifier");
        assertThat(a.get("encoder").asText()).isEqualTo("hashing-v1");
        assertThat(a.get("training").get("devAccuracy").asDouble()).isGreaterThan(0.95);
        assertThat(err.toString()).contains("embedding train").contains("wrote");
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(cm.toFile());
        assertThat(yaml.get("kind").asText()).isEqualTo("ConfigMap");
        assertThat(yaml.at("/metadata/name").asText()).isEqualTo("math-router");
        assertThat(yaml.at("/metadata/namespace").asText()).isEqualTo("team");
        assertThat(new ObjectMapper().readTree(yaml.at("/data/router.json").asText())).isEqualTo(a);
        // the embedding cache now holds every training text
        assertThat(Files.list(Path.of(cache)).toList()).hasSize(1);

        assertThat(run("route", "--artifact", artifact.toString(), "--text", "solve the integral equation"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("mathy");

        Path json = dir.resolve("report.json");
        Path svg = dir.resolve("curve.svg");
        Path png = dir.resolve("plots/curve.png");
        assertThat(run("eval", "--data", dev.toString(), "--train", train.toString(),
                "--strategy", "cluster,classifier,reward", "--k", "2,4", "--encoder", "hashing-v1",
                "--experts", "mathy,poet,big", "--threshold", "0.5", "--cache-dir", cache,
                "--json", json.toString(), "--svg", svg.toString(), "--png", png.toString()))
                .as(err.toString()).isZero();
        String table = out.toString();
        assertThat(table).contains("oracle").contains("best single").contains("best per category")
                .contains("classifier").contains("thresholdCheapest").contains("cost-quality curves")
                .contains("of queries to big keep accuracy");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.at("/oracle/accuracy").asDouble()).isEqualTo(1.0);
        for (JsonNode r : report.get("routers")) {
            if (!r.get("name").asText().contains("thresholdCheapest")) {
                // the routers find the specialists: near the oracle, far above the best single expert (0.8)
                assertThat(r.get("accuracy").asDouble()).as(r.get("name").asText()).isGreaterThan(0.9);
            }
        }
        assertThat(report.get("curves")).hasSize(3);
        // the second and third routers are also compared with the first, on the same queries
        List<String> pairs = new ArrayList<>();
        report.get("differences").forEach(p -> pairs.add(p.get("router").asText() + " vs " + p.get("baseline").asText()));
        String first = report.get("routers").get(0).get("name").asText();
        assertThat(first).startsWith("cluster");
        assertThat(pairs).anyMatch(p -> p.startsWith("classifier") && p.endsWith(" vs " + first))
                .anyMatch(p -> p.startsWith("reward") && p.endsWith(" vs " + first))
                .noneMatch(p -> p.equals(first + " vs " + first));
        assertThat(Files.readString(svg)).startsWith("<svg");
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(760 * 2);
    }

    @Test
    void knnClassifierTrainsRoutesAndAutoKeepsLogisticOnATie() throws Exception {
        Path train = data("train.jsonl", 200, 1);
        Path artifact = dir.resolve("knn.json");
        String cache = dir.resolve("cache").toString();
        assertThat(run("train", "--data", train.toString(), "--strategy", "knn", "--encoder", "hashing-v1",
                "--experts", "mathy,poet", "--out", artifact.toString(), "--cache-dir", cache))
                .as(err.toString()).isZero();
        JsonNode a = new ObjectMapper().readTree(artifact.toFile());
        assertThat(a.get("kind").asText()).isEqualTo("classifier");
        assertThat(a.get("model").asText()).isEqualTo("knn");
        assertThat(a.get("training").get("devAccuracy").asDouble()).isGreaterThan(0.95);
        assertThat(err.toString()).contains("knn k=4 T=0.010 dev cost-quality area");
        assertThat(run("route", "--artifact", artifact.toString(), "--text", "write a sonnet with a metaphor"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("poet");

        // both models are perfect on this data: auto keeps the logistic default
        Path auto = dir.resolve("auto.json");
        assertThat(run("train", "--data", train.toString(), "--strategy", "classifier", "--model", "auto",
                "--encoder", "hashing-v1", "--experts", "mathy,poet", "--out", auto.toString(), "--cache-dir", cache))
                .as(err.toString()).isZero();
        assertThat(err.toString()).containsPattern("classifier model: logistic (0\\.\\d+), knn \\1 ");
        assertThat(new ObjectMapper().readTree(auto.toFile()).has("model")).isFalse();
        assertThat(run("train", "--data", train.toString(), "--strategy", "classifier", "--model", "forest",
                "--encoder", "hashing-v1", "--out", auto.toString(), "--cache-dir", cache)).isEqualTo(2);
        assertThat(err.toString()).contains("--model must be logistic, knn or auto (got forest)");
    }

    @Test
    void categoryClassifierTrainsEvaluatesTheTwoStepRouterAndRoutes() throws Exception {
        Path train = data("train.jsonl", 200, 1);
        Path dev = data("dev.jsonl", 60, 2);
        Path artifact = dir.resolve("category.json");
        String cache = dir.resolve("cache").toString();
        assertThat(run("train", "--data", train.toString(), "--strategy", "category", "--encoder", "hashing-v1",
                "--experts", "mathy,poet,big", "--out", artifact.toString(), "--cache-dir", cache))
                .as(err.toString()).isZero();
        JsonNode a = new ObjectMapper().readTree(artifact.toFile());
        assertThat(a.get("kind").asText()).isEqualTo("category");
        assertThat(a.get("categories").toString()).isEqualTo("[\"math\",\"poetry\"]");
        assertThat(a.at("/training/devCategoryAccuracy").asDouble()).isGreaterThan(0.95);
        assertThat(err.toString()).contains("category l2=1.00000e-05 dev category accuracy")
                .containsPattern("dev category accuracy 0\\.9\\d+\\)|dev category accuracy 1\\.0000\\)");

        assertThat(run("route", "--artifact", artifact.toString(), "--text", "a sonnet in rhyme"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("poet").contains("category poetry p 0.");

        Path json = dir.resolve("report.json");
        assertThat(run("eval", "--data", dev.toString(), "--train", train.toString(), "--strategy", "category",
                "--encoder", "hashing-v1", "--experts", "mathy,poet,big", "--cache-dir", cache, "--threshold", "1.01",
                "--json", json.toString())).as(err.toString()).isZero();
        // a threshold no posterior reaches sends everything to the fallback (the train-best expert, big)
        assertThat(out.toString()).containsPattern("category l2=\\S+ maxProb<1.01 to fallback +0\\.\\d+ +\\S+ +big 100%")
                .containsPattern("category l2=\\S+: category accuracy (0\\.9|1\\.0)\\d+ \\(predicted "
                + "vs the data's category\\)");
        JsonNode router = new ObjectMapper().readTree(json.toFile()).get("routers").get(0);
        assertThat(router.get("categoryAccuracy").asDouble()).isGreaterThan(0.95);
        // math -> mathy, poetry -> poet: the two-step router reaches the oracle (1.0), above big alone (~0.8)
        assertThat(router.get("accuracy").asDouble()).isGreaterThan(0.95);
        assertThat(new ObjectMapper().readTree(json.toFile()).at("/bestSingle/categoryAccuracy").isMissingNode())
                .isTrue();
    }

    @Test
    void promptBothTrainsOnBothTextsOfEveryQuestionAndRecordsIt() throws Exception {
        Path train = withOptions(data("train.jsonl", 200, 1));
        Path artifact = dir.resolve("both.json");
        String cache = dir.resolve("cache").toString();
        assertThat(run("train", "--data", train.toString(), "--strategy", "category", "--prompt", "both",
                "--encoder", "hashing-v1", "--experts", "mathy,poet", "--out", artifact.toString(),
                "--cache-dir", cache)).as(err.toString()).isZero();
        // 200 questions + their 200 bare questions are embedded
        assertThat(err.toString()).contains("embedding train").contains("400/400");
        JsonNode a = new ObjectMapper().readTree(artifact.toFile());
        assertThat(a.at("/training/prompt").asText()).isEqualTo("both");
        assertThat(a.at("/training/questions").asInt()).isEqualTo(200);
        assertThat(a.at("/training/rows").asInt()).isEqualTo(400);
        // the hold-out is 20 % of the questions, scored on their question+options text only
        assertThat(a.at("/training/devRows").asInt()).isEqualTo(40);
        assertThat(a.at("/training/devCategoryAccuracy").asDouble()).isGreaterThan(0.95);
        // a bare question and one with options both reach their category
        assertThat(run("route", "--artifact", artifact.toString(), "--text", "solve the integral equation"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("mathy").contains("category math");
        assertThat(run("route", "--artifact", artifact.toString(), "--text", "a sonnet in rhyme\nA. yes\nB. no"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("poet").contains("category poetry");

        // eval --test-fraction splits the questions, then trains on both texts of the training part
        assertThat(run("eval", "--data", train.toString(), "--test-fraction", "0.25", "--strategy", "classifier",
                "--prompt", "both", "--encoder", "hashing-v1", "--experts", "mathy,poet", "--cache-dir", cache,
                "--save-artifacts", dir.resolve("saved").toString())).as(err.toString()).isZero();
        JsonNode saved = new ObjectMapper().readTree(dir.resolve("saved/classifier.json").toFile());
        assertThat(saved.at("/training/prompt").asText()).isEqualTo("both");
        assertThat(saved.at("/training/questions").asInt()).isEqualTo(150);
        assertThat(saved.at("/training/rows").asInt()).isEqualTo(300);
        assertThat(out.toString()).contains("(test split)");
    }

    @Test
    void aBadPromptValueNamesTheFlagAndTheAllowedValues() throws Exception {
        Path train = data("train.jsonl", 20, 1);
        assertThat(run("train", "--data", train.toString(), "--strategy", "category", "--prompt", "options",
                "--encoder", "hashing-v1", "--out", dir.resolve("c.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--prompt must be question, question+options or both, got 'options'");
    }

    /** The same rows as multiple-choice questions: two options each. */
    private static Path withOptions(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(line.replaceFirst("\"question\":", "\"options\":[\"yes\",\"no\"],\"question\":"));
        }
        Files.write(file, lines);
        return file;
    }

    @Test
    void categoryClassifierNeedsACategoryOnEveryRow() throws Exception {
        Path train = data("train.jsonl", 40, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(2, lines.get(2).replaceFirst("\"category\":\"math\",", ""));
        Files.write(train, lines);
        assertThat(run("train", "--data", train.toString(), "--strategy", "category", "--encoder", "hashing-v1",
                "--out", dir.resolve("c.json").toString(), "--cache-dir", dir.resolve("cache").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("train.jsonl:3 (row q2): no category field; --strategy category needs "
                + "a category on every row");
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        assertThat(run("train", "--data", "x.jsonl")).isEqualTo(2);
        assertThat(err.toString()).contains("--out is required");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"question\":\"q\"}\n");
        assertThat(run("eval", "--data", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.jsonl:1: needs an object field scores");
        assertThat(run("eval", "--data", bad.toString(), "--bogus", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option --bogus");
    }

    @Test
    void configMapYamlIsByteStable() {
        // committed manifests (deploy/examples/policies/coe-trained-classifier.yaml) are regenerated and compared
        // byte for byte, so the keys must come out in one fixed order in every JVM
        assertThat(SwitchboardCli.configMapYaml("r", null, "router.json", "{}")).isEqualTo("""
                apiVersion: "v1"
                kind: "ConfigMap"
                metadata:
                  name: "r"
                  labels:
                    app.kubernetes.io/part-of: "switchboard"
                    switchboard.dev/artifact: "router"
                data:
                  router.json: "{}"
                """);
    }
}
