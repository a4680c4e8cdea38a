package dev.switchboard.engine.eval;

import java.util.List;
import java.util.Locale;

/** Writes cost-quality curves and single experts as a self-contained SVG. */
public final class CurvePlot {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private CurvePlot() {
    }

    public static String svg(List<CostQualityCurve> curves, EvalReport report) {
        double w = 720;
        double h = 480;
        double left = 70;
        double bottom = 50;
        double top = 30;
        double right = 200;
        double xMax = 0;
        double yMin = 1;
        double yMax = 0;
        for (EvalReport.ExpertRow e : report.experts()) {
            xMax = Math.max(xMax, e.cost());
            yMin = Math.min(yMin, e.accuracy());
            yMax = Math.max(yMax, e.accuracy());
        }
        for (CostQualityCurve c : curves) {
            for (CostQualityCurve.Point p : c.points()) {
                xMax = Math.max(xMax, p.cost());
                yMin = Math.min(yMin, p.accuracy());
                yMax = Math.max(yMax, p.accuracy());
            }
        }
        xMax = xMax <= 0 ? 1 : xMax * 1.05;
        yMin = Math.max(0, yMin - 0.02);
        yMax = Math.min(1, yMax + 0.02);
        double pw = w - left - right;
        double ph = h - top - bottom;
        double fxMax = xMax;
        double fyMin = yMin;
        double fyMax = yMax;
        java.util.function.DoubleUnaryOperator x = v -> left + pw * v / fxMax;
        java.util.function.DoubleUnaryOperator y = v -> top + ph * (1 - (v - fyMin) / (fyMax - fyMin));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
                left, top + ph, left + pw, top + ph));
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>%n",
                left, top, left, top + ph));
        for (int t = 0; t <= 5; t++) {
            double cv = xMax * t / 5;
            double av = yMin + (yMax - yMin) * t / 5;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.3g</text>%n",
                    x.applyAsDouble(cv), top + ph + 16, cv));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n",
                    left - 6, y.applyAsDouble(av) + 4, av));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">average cost per query"
                + "</text>%n", left + pw / 2, h - 10));
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
                + "text-anchor=\"middle\">accuracy</text>%n", top + ph / 2, top + ph / 2));
        for (EvalReport.ExpertRow e : report.experts()) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"gray\"><title>%s</title>"
                    + "</circle>%n", x.applyAsDouble(e.cost()), y.applyAsDouble(e.accuracy()), esc(e.name())));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"gray\" font-size=\"9\">%s</text>%n",
                    x.applyAsDouble(e.cost()) + 4, y.applyAsDouble(e.accuracy()) - 3, esc(e.name())));
        }
        for (int c = 0; c < curves.size(); c++) {
            CostQualityCurve curve = curves.get(c);
            String color = COLORS[c % COLORS.length];
            StringBuilder pts = new StringBuilder();
            curve.points().stream().sorted(java.util.Comparator.comparingDouble(CostQualityCurve.Point::cost))
                    .forEach(p -> pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(p.cost()),
                            y.applyAsDouble(p.accuracy()))));
            s.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    color, pts.toString().trim()));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s (area %.3f)</text>%n",
                    left + pw + 10, top + 14 + 16 * c, color, esc(curve.name()), curve.area()));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String esc(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
