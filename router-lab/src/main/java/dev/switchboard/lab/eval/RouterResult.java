package dev.switchboard.lab.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * How one routing rule did on the evaluation rows.
 *
 * @param share            fraction of queries sent to each expert
 * @param perCategory      accuracy per category (empty without categories)
 * @param categoryAccuracy for a router that predicts the category (two-step category router): the share of rows
 *                         whose category it predicted right; null otherwise
 */
public record RouterResult(String name, double accuracy, double averageCost, Map<String, Double> share,
                           Map<String, Double> perCategory,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double categoryAccuracy) {

    public RouterResult(String name, double accuracy, double averageCost, Map<String, Double> share,
                        Map<String, Double> perCategory) {
        this(name, accuracy, averageCost, share, perCategory, null);
    }

    public RouterResult withCategoryAccuracy(double value) {
        return new RouterResult(name, accuracy, averageCost, share, perCategory, value);
    }
}
