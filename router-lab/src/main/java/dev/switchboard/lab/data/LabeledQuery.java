package dev.switchboard.lab.data;

import java.util.Map;

/**
 * One training/evaluation row: the query text, how well each expert answered it (0..1), optionally what each
 * expert's answer cost (USD) and the query's category.
 *
 * @param alternateText a second training text for the same row, or null: the question alone when the data was read
 *                      with {@link PromptFormat#BOTH} (evaluation uses {@code text} only)
 * @param source where the row came from ("file:line"), for error messages
 */
public record LabeledQuery(String id, String text, String alternateText, Map<String, Double> scores,
                           Map<String, Double> costs, String category, String source) {
    public LabeledQuery {
        scores = Map.copyOf(scores);
        costs = costs == null ? Map.of() : Map.copyOf(costs);
    }
}
