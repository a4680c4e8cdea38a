package dev.switchboard.lab.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Reads routing data as JSON lines: {@code question} or {@code prompt}, optional {@code options} (multiple choice),
 * {@code scores}, {@code cost_usd}, {@code category}.
 */
public final class RoutingDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RoutingDataset() {
    }

    /** Rows with the question and its options as text (see {@link PromptFormat}). */
    public static List<LabeledQuery> read(Path file) {
        return read(file, PromptFormat.QUESTION_AND_OPTIONS);
    }

    public static List<LabeledQuery> read(Path file, PromptFormat format) {
        List<LabeledQuery> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(parse(line, file + ":" + lineNo, format));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    static LabeledQuery parse(String line, String where, PromptFormat format) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getMessage());
        }
        JsonNode text = node.hasNonNull("question") ? node.get("question") : node.get("prompt");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException(where + ": needs a string field question or prompt");
        }
        JsonNode scores = node.get("scores");
        if (scores == null || !scores.isObject() || scores.isEmpty()) {
            throw new IllegalArgumentException(where + ": needs an object field scores (model -> 0..1)");
        }
        String id = node.hasNonNull("id") ? node.get("id").asText() : where;
        List<String> options = options(node.get("options"), where);
        return new LabeledQuery(id, format.text(text.asText(), options), format.alternate(text.asText(), options),
                numbers(scores, where + ": scores"),
                node.has("cost_usd") ? numbers(node.get("cost_usd"), where + ": cost_usd") : Map.of(),
                node.hasNonNull("category") ? node.get("category").asText() : null, where);
    }

    private static List<String> options(JsonNode options, String where) {
        if (options == null || options.isNull()) {
            return List.of();
        }
        if (!options.isArray()) {
            throw new IllegalArgumentException(where + ": options must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            if (!options.get(i).isTextual()) {
                throw new IllegalArgumentException(where + ": options[" + i + "] is not a string");
            }
            out.add(options.get(i).asText());
        }
        return out;
    }

    private static Map<String, Double> numbers(JsonNode obj, String where) {
        if (!obj.isObject()) {
            throw new IllegalArgumentException(where + " must be an object of numbers");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " is not a number");
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }

    /** Experts scored on every row, in first-seen order. */
    public static List<String> commonExperts(List<LabeledQuery> rows) {
        Set<String> common = null;
        for (LabeledQuery q : rows) {
            if (common == null) {
                common = new LinkedHashSet<>(q.scores().keySet());
            } else {
                common.retainAll(q.scores().keySet());
            }
        }
        return common == null ? List.of() : List.copyOf(common);
    }

    /** Keeps rows that score every given expert; fails when an expert appears nowhere. */
    public static List<LabeledQuery> withExperts(List<LabeledQuery> rows, List<String> experts) {
        for (String e : experts) {
            if (rows.stream().noneMatch(q -> q.scores().containsKey(e))) {
                throw new IllegalArgumentException("expert " + e + " has no scores in the data");
            }
        }
        return rows.stream().filter(q -> q.scores().keySet().containsAll(experts)).toList();
    }

    /** Fails naming the first row without a category: {@code purpose} says what needs them. */
    public static void requireCategories(List<LabeledQuery> rows, String purpose) {
        for (LabeledQuery q : rows) {
            if (q.category() == null || q.category().isBlank()) {
                String row = q.id().equals(q.source()) ? "" : " (row " + q.id() + ")";
                throw new IllegalArgumentException(q.source() + row + ": no category field; " + purpose
                        + " needs a category on every row");
            }
        }
    }

    /** Rows x experts score matrix. */
    public static double[][] scoreMatrix(List<LabeledQuery> rows, List<String> experts) {
        double[][] s = new double[rows.size()][experts.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < experts.size(); j++) {
                s[i][j] = rows.get(i).scores().get(experts.get(j));
            }
        }
        return s;
    }

    /** A seeded shuffle of 0..n-1: the CLI's hold-out splits, reused by benchmarks to get the same split. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
