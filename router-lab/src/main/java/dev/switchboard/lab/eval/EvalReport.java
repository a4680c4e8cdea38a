package dev.switchboard.lab.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The eval command's result: reference routers (each expert alone, best single, best per category, oracle,
 * random), the routers under test, and cost-quality curves with their area.
 *
 * @param categoryCeiling best expert per category fitted on the evaluation rows themselves: no router that decides
 *                        by category alone can do better on these rows
 * @param differences     each router against the reference routers, with paired standard errors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(String data, int rows, List<ExpertRow> experts, RouterResult bestSingle,
                         RouterResult bestPerCategory, RouterResult oracle, RouterResult random,
                         List<RouterResult> routers, List<CostQualityCurve> curves, List<Budget> budgets,
                         RouterResult categoryCeiling, List<PairedDifference> differences) {

    public EvalReport(String data, int rows, List<ExpertRow> experts, RouterResult bestSingle,
                      RouterResult bestPerCategory, RouterResult oracle, RouterResult random,
                      List<RouterResult> routers, List<CostQualityCurve> curves, List<Budget> budgets) {
        this(data, rows, experts, bestSingle, bestPerCategory, oracle, random, routers, curves, budgets, null, null);
    }

    public record ExpertRow(String name, double accuracy, double cost) {
    }

    /** The cheapest point of a curve that keeps {@code targetShare} of {@code expert}'s accuracy. */
    public record Budget(String curve, String expert, double expertAccuracy, double targetShare,
                         CostQualityCurve.Point point) {
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toTable() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "data: %s (%d queries)%n%n", data, rows));
        s.append(String.format(Locale.ROOT, "%-36s %9s %12s%n", "expert", "accuracy", "avg cost"));
        for (ExpertRow e : experts) {
            s.append(String.format(Locale.ROOT, "%-36s %9.4f %12.6g%n", e.name(), e.accuracy(), e.cost()));
        }
        List<RouterResult> all = new ArrayList<>();
        all.add(random);
        all.add(bestSingle);
        if (bestPerCategory != null) {
            all.add(bestPerCategory);
        }
        all.addAll(routers);
        if (categoryCeiling != null) {
            all.add(categoryCeiling);
        }
        all.add(oracle);
        s.append(String.format(Locale.ROOT, "%n%-36s %9s %12s  %s%n", "router", "accuracy", "avg cost",
                "share of queries per expert"));
        for (RouterResult r : all) {
            StringBuilder share = new StringBuilder();
            r.share().forEach((k, v) -> {
                if (v >= 0.005 && !r.name().equals("random")) {
                    share.append(String.format(Locale.ROOT, "%s %.0f%%  ", shortName(k), 100 * v));
                }
            });
            s.append(String.format(Locale.ROOT, "%-36s %9.4f %12.6g  %s%n", r.name(), r.accuracy(),
                    r.averageCost(), share.toString().trim()));
        }
        for (RouterResult r : routers) {
            if (r.categoryAccuracy() != null) {
                s.append(String.format(Locale.ROOT, "%s: category accuracy %.4f (predicted vs the data's category)%n",
                        r.name(), r.categoryAccuracy()));
            }
        }
        Set<String> categories = new LinkedHashSet<>(oracle.perCategory().keySet());
        if (!categories.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nper category%n%-18s", "category"));
            for (RouterResult r : all) {
                s.append(String.format(Locale.ROOT, " %12.12s", r.name()));
            }
            s.append('\n');
            for (String c : categories) {
                s.append(String.format(Locale.ROOT, "%-18.18s", c));
                for (RouterResult r : all) {
                    s.append(String.format(Locale.ROOT, " %12.4f", r.perCategory().getOrDefault(c, Double.NaN)));
                }
                s.append('\n');
            }
        }
        if (differences != null && !differences.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%ndifferences on the same queries (± paired standard error; within "
                    + "about 2 standard errors is not a demonstrated gain)%n"));
            for (PairedDifference p : differences) {
                s.append(String.format(Locale.ROOT, "%-36s vs %-28.28s %+8.4f ± %.4f  (%+.1f se)%n", p.router(),
                        p.baseline(), p.difference(), p.standardError(), p.zScore()));
            }
        }
        if (curves != null && !curves.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%ncost-quality curves (area = mean accuracy of the upper hull over "
                    + "the experts' cost range)%n"));
            for (CostQualityCurve c : curves) {
                s.append(String.format(Locale.ROOT, "%-36s area %.4f over cost [%.4g, %.4g]%n", c.name(), c.area(),
                        c.costMin(), c.costMax()));
            }
        }
        if (budgets != null) {
            for (Budget b : budgets) {
                if (b.point() == null) {
                    s.append(String.format(Locale.ROOT, "%s: no point keeps %.0f%% of %s's accuracy %.4f%n",
                            b.curve(), 100 * b.targetShare(), b.expert(), b.expertAccuracy()));
                } else {
                    s.append(String.format(Locale.ROOT, "%s: %.1f%% of queries to %s keep accuracy %.4f >= %.0f%% of "
                                    + "its %.4f (lambda %.4g, avg cost %.4g)%n", b.curve(),
                            100 * b.point().share().get(b.expert()), b.expert(), b.point().accuracy(),
                            100 * b.targetShare(), b.expertAccuracy(), b.point().costWeight(), b.point().cost()));
                }
            }
        }
        return s.toString();
    }

    private static String shortName(String expert) {
        int slash = expert.lastIndexOf('/');
        String n = slash >= 0 ? expert.substring(slash + 1) : expert;
        return n.length() > 22 ? n.substring(0, 22) : n;
    }

    static Map<String, Double> none() {
        return Map.of();
    }
}
