package dev.switchboard.lab.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.lab.cli.SwitchboardCliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Agreement and accuracy from sampled shadow answer pairs, as /q/shadow/samples serves them. */
class ShadowSampleScoreTest {
    static String sample(long seq, String category, String question, String live, String liveAnswer, String shadow,
                         String shadowAnswer) {
        return """
                {"seq":%d,"time":"2026-11-30T10:00:0%dZ","policy":"coe","shadow":"coe-v2","category":"%s",\
                "question":"%s","live":{"expert":"%s","answer":"%s"},\
                "shadowChoice":{"expert":"%s","answer":"%s"},"agreed":%s}""".formatted(seq, seq, category,
                question, live, liveAnswer, shadow, shadowAnswer, live.equals(shadow));
    }

    static final String FETCH = "{\"kept\":3,\"capacity\":200,\"samples\":["
            + sample(1, "math", "2+2?", "math", "4", "math", "4") + ","
            + sample(2, "math", "Capital of France? A. Paris B. Rome", "math", "B. Rome", "general", "A. Paris") + ","
            + sample(3, "law", "Is a verbal contract binding?", "legal", "Yes, often", "general", "Yes") + "]}";

    @Test
    void agreementPerCategoryAndAccuracyAgainstAnswerOrExpertLabels() {
        // the same fetch appended twice counts once
        List<JsonNode> samples = ShadowSampleScore.read(FETCH + "\n" + FETCH + "\n");
        assertThat(samples).hasSize(3);
        Map<String, ShadowSampleScore.Label> labels = ShadowSampleScore.labels("""
                {"question": "2+2?", "answer": "4"}
                {"question": "Capital of France? A. Paris B. Rome", "answer": "A"}
                {"question": "Is a verbal contract binding?", "expert": "legal"}
                """);
        ObjectNode report = ShadowSampleScore.score(samples, labels);
        JsonNode pair = report.get("shadows").get(0);
        assertThat(pair.get("policies").asText()).isEqualTo("coe -> coe-v2");
        assertThat(pair.get("samples").asLong()).isEqualTo(3);
        assertThat(pair.get("agreed").asLong()).isEqualTo(1);
        assertThat(pair.get("agreement").asDouble()).isEqualTo(0.3333);
        assertThat(pair.get("liveAccuracy").asDouble()).isEqualTo(0.6667); // 4 and legal right, "B. Rome" wrong
        assertThat(pair.get("shadowAccuracy").asDouble()).isEqualTo(0.6667); // 4 and "A. Paris" right, general wrong
        JsonNode math = pair.get("perCategory").get(1);
        assertThat(math.get("category").asText()).isEqualTo("math");
        assertThat(math.get("agreement").asDouble()).isEqualTo(0.5);
        assertThat(math.get("liveAccuracy").asDouble()).isEqualTo(0.5);
        assertThat(math.get("shadowAccuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aLetterLabelDoesNotMatchAWordStartingWithIt() {
        var label = new ShadowSampleScore.Label(java.util.Set.of(), "B");
        assertThat(ShadowSampleScore.right(label, ShadowSampleScore.read("{\"samples\":["
                + sample(1, "x", "q", "a", "Berlin", "a", "Berlin") + "]}").get(0).get("live"))).isFalse();
        assertThat(ShadowSampleScore.right(label, ShadowSampleScore.read("{\"samples\":["
                + sample(1, "x", "q", "a", "b) Berlin", "a", "x") + "]}").get(0).get("live"))).isTrue();
    }

    @Test
    void theCliReadsSamplesFromAFileAndPrintsATable(@TempDir Path dir) throws Exception {
        Path samples = dir.resolve("samples.json");
        Files.writeString(samples, FETCH);
        Path json = dir.resolve("report.json");
        SwitchboardCliRunner.Result r = SwitchboardCliRunner.run("shadow", "--samples", samples.toString(),
                "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("coe -> coe-v2").containsPattern("math\\s+2\\s+1\\s+0.5000")
                .containsPattern("all\\s+3\\s+1\\s+0.3333");
        assertThat(Files.readString(json)).contains("\"agreement\" : 0.3333");

        SwitchboardCliRunner.Result bad = SwitchboardCliRunner.run("shadow", "--samples", samples.toString(),
                "--labels", samples.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("labels line 1: \"question\" is missing");
    }
}
