package dev.switchboard.lab.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores the sampled answer pairs a router keeps for shadow policies (/q/shadow/samples): how often the shadow chose
 * the live expert, per category, and, given labels, how often each side was right. A label names either the
 * expert(s) that should answer a question ({@code "expert"} or {@code "experts"}: routing accuracy) or the reference
 * answer ({@code "answer"}: an answer is right when, trimmed, it starts with the reference, case-insensitive, followed
 * by the end or a character that is not a letter or digit, so "B" matches "B. Paris" but not "Berlin").
 */
public final class ShadowSampleScore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A label of one question. */
    public record Label(Set<String> experts, String answer) {
    }

    private ShadowSampleScore() {
    }

    /**
     * The samples in {@code text}: the JSON of /q/shadow/samples, or JSON lines each holding such a document or one
     * sample (e.g. several fetches appended to one file). The same sample fetched twice counts once.
     */
    public static List<JsonNode> read(String text) {
        List<JsonNode> docs = new ArrayList<>();
        String t = text.strip();
        try {
            docs.add(JSON.readTree(t));
        } catch (Exception whole) {
            int n = 0;
            for (String line : t.split("\n")) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    docs.add(JSON.readTree(line));
                } catch (Exception e) {
                    throw new IllegalArgumentException("line " + n + " is not JSON: " + e.getMessage());
                }
            }
        }
        Map<String, JsonNode> unique = new LinkedHashMap<>();
        for (JsonNode doc : docs) {
            if (doc.has("samples") && doc.get("samples").isArray()) {
                doc.get("samples").forEach(s -> unique.putIfAbsent(identity(s), s));
            } else if (doc.has("live") && doc.has("shadowChoice")) {
                unique.putIfAbsent(identity(doc), doc);
            }
        }
        return List.copyOf(unique.values());
    }

    private static String identity(JsonNode s) {
        return s.path("time").asText() + "\0" + s.path("policy").asText() + "\0" + s.path("question").asText();
    }

    /** Labels by question, from JSON lines {@code {"question": ..., "expert"|"experts"|"answer": ...}}. */
    public static Map<String, Label> labels(String jsonLines) {
        Map<String, Label> labels = new LinkedHashMap<>();
        int n = 0;
        for (String line : jsonLines.split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalArgumentException("labels line " + n + " is not JSON: " + e.getMessage());
            }
            String question = row.path("question").asText(null);
            if (question == null) {
                throw new IllegalArgumentException("labels line " + n + ": \"question\" is missing");
            }
            Set<String> experts = new LinkedHashSet<>();
            if (row.hasNonNull("expert")) {
                experts.add(row.get("expert").asText());
            }
            row.path("experts").forEach(e -> experts.add(e.asText()));
            String answer = row.hasNonNull("answer") ? row.get("answer").asText() : null;
            if (experts.isEmpty() && answer == null) {
                throw new IllegalArgumentException("labels line " + n + ": needs \"expert\", \"experts\" or "
                        + "\"answer\"");
            }
            labels.put(question, new Label(experts, answer));
        }
        return labels;
    }

    /** The report: per live policy and shadow, then per category. */
    public static ObjectNode score(List<JsonNode> samples, Map<String, Label> labels) {
        Map<String, Map<String, long[]>> byPair = new TreeMap<>();
        for (JsonNode s : samples) {
            String pair = s.path("policy").asText() + " -> " + s.path("shadow").asText();
            String category = s.path("category").asText("none");
            boolean agreed = s.path("live").path("expert").asText("").equals(s.path("shadowChoice").path("expert")
                    .asText(null));
            Label label = labels.get(s.path("question").asText());
            // {samples, agreed, labelled, live right, shadow right}
            for (String key : List.of("*", category)) {
                long[] c = byPair.computeIfAbsent(pair, k -> new TreeMap<>()).computeIfAbsent(key, k -> new long[5]);
                c[0]++;
                c[1] += agreed ? 1 : 0;
                if (label != null) {
                    c[2]++;
                    c[3] += right(label, s.path("live")) ? 1 : 0;
                    c[4] += right(label, s.path("shadowChoice")) ? 1 : 0;
                }
            }
        }
        ObjectNode report = JSON.createObjectNode();
        ArrayNode list = report.putArray("shadows");
        byPair.forEach((pair, categories) -> {
            ObjectNode p = list.addObject();
            p.put("policies", pair);
            put(p, categories.get("*"));
            ArrayNode per = p.putArray("perCategory");
            categories.forEach((category, c) -> {
                if (!category.equals("*")) {
                    put(per.addObject().put("category", category), c);
                }
            });
        });
        return report;
    }

    private static void put(ObjectNode node, long[] c) {
        node.put("samples", c[0]).put("agreed", c[1]).put("agreement", ratio(c[1], c[0]));
        if (c[2] > 0) {
            node.put("labelled", c[2]).put("liveAccuracy", ratio(c[3], c[2])).put("shadowAccuracy", ratio(c[4], c[2]));
        }
    }

    static boolean right(Label label, JsonNode side) {
        if (!label.experts().isEmpty()) {
            return label.experts().contains(side.path("expert").asText(""));
        }
        String answer = side.path("answer").asText("").strip().toLowerCase(Locale.ROOT);
        String reference = label.answer().strip().toLowerCase(Locale.ROOT);
        if (reference.isEmpty() || !answer.startsWith(reference)) {
            return false;
        }
        return answer.length() == reference.length() || !Character.isLetterOrDigit(answer.charAt(reference.length()));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(10_000.0 * part / whole) / 10_000.0;
    }

    /** The report as a table. */
    public static String table(ObjectNode report) {
        StringBuilder out = new StringBuilder();
        for (JsonNode p : report.get("shadows")) {
            out.append(p.get("policies").asText()).append('\n');
            boolean labelled = p.has("labelled");
            out.append(String.format(Locale.ROOT, "  %-24s %8s %8s %9s%s%n", "category", "samples", "agreed",
                    "agreement", labelled ? String.format(Locale.ROOT, " %8s %13s %15s", "labelled", "live accuracy",
                            "shadow accuracy") : ""));
            List<JsonNode> rows = new ArrayList<>();
            p.get("perCategory").forEach(rows::add);
            ObjectNode all = p.deepCopy();
            all.remove(List.of("policies", "perCategory"));
            all.put("category", "all");
            rows.add(all);
            for (JsonNode r : rows) {
                out.append(String.format(Locale.ROOT, "  %-24s %8d %8d %9.4f", r.get("category").asText(),
                        r.get("samples").asLong(), r.get("agreed").asLong(), r.get("agreement").asDouble()));
                if (labelled) {
                    out.append(r.has("labelled") ? String.format(Locale.ROOT, " %8d %13.4f %15.4f",
                            r.get("labelled").asLong(), r.get("liveAccuracy").asDouble(),
                            r.get("shadowAccuracy").asDouble()) : String.format(Locale.ROOT, " %8d", 0));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
