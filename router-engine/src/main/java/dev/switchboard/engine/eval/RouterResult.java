package dev.switchboard.engine.eval;

import java.util.Map;

/**
 * How one routing rule did on the evaluation rows.
 *
 * @param share       fraction of queries sent to each expert
 * @param perCategory accuracy per category (empty without categories)
 */
public record RouterResult(String name, double accuracy, double averageCost, Map<String, Double> share,
                           Map<String, Double> perCategory) {
}
