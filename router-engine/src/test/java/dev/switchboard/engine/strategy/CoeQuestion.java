package dev.switchboard.engine.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One hand-written question of coe-fallback-questions.jsonl for the example policy {@code coe}: the expert it should
 * reach, whether it is clear (a specialist's domain, or plainly general) or unclear (vague, several domains at once,
 * chit-chat without a topic: it should reach the generalist through the uncertainty rule), and its split.
 */
record CoeQuestion(String question, String expected, String label, String kind, String split) {
    static final String RESOURCE = "dev/switchboard/engine/strategy/coe-fallback-questions.jsonl";
    static final String CALIBRATION = "calibration";
    static final String EVALUATION = "evaluation";

    boolean clear() {
        return label.equals("clear");
    }

    static List<CoeQuestion> load(String split) {
        ObjectMapper json = new ObjectMapper();
        List<CoeQuestion> questions = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CoeQuestion.class.getClassLoader().getResourceAsStream(RESOURCE), RESOURCE), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    CoeQuestion q = json.readValue(line, CoeQuestion.class);
                    if (!q.label.equals("clear") && !q.label.equals("unclear")) {
                        throw new IllegalArgumentException(RESOURCE + ": label must be clear or unclear: " + line);
                    }
                    if (split == null || q.split.equals(split)) {
                        questions.add(q);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return questions;
    }
}
