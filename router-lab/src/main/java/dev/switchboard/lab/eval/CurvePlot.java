package dev.switchboard.lab.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cost-quality plot laid out in pixels: title, axes with ticks, grid and labels, one line per curve, a dot
 * per single expert and a legend below the axes. All layout math and the drawing order live here;
 * {@link SvgCurvePlot} and {@link PngCurvePlot} only implement the four drawing primitives of {@link Canvas}, so
 * both files show the same picture.
 */
public record CurvePlot(int width, int height, Box area, Text title, List<Line> axes, List<Tick> xTicks,
                        List<Tick> yTicks, List<Text> axisLabels, List<Series> series, List<Dot> experts,
                        List<LegendEntry> legend) {
    public static final int BLACK = 0x000000;
    public static final int GRAY = 0x808080;
    public static final int GRID = 0xe6e6e6;
    /** Line colours of the curves, in order (matplotlib's first six). */
    public static final int[] COLORS = {0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x8c564b};
    public static final double SERIES_WIDTH = 2;
    public static final double DOT_RADIUS = 3.5;

    private static final int WIDTH = 760;
    private static final double LEFT = 70;
    private static final double RIGHT = 30;
    private static final double TOP = 40;
    private static final double PLOT_HEIGHT = 380;
    private static final double LEGEND_ROW = 16;
    private static final double LABEL_SIZE = 9;

    public record Point(double x, double y) {
    }

    public record Line(Point from, Point to) {
    }

    /** The plotting area in pixels. */
    public record Box(double left, double top, double right, double bottom) {
    }

    public enum Anchor { START, MIDDLE, END }

    /** A label; (x, y) is its baseline point at the anchor; vertical text is rotated 90° counter-clockwise. */
    public record Text(String text, double x, double y, Anchor anchor, double size, int rgb, boolean bold,
                       boolean vertical) {
        static Text plain(String text, double x, double y, Anchor anchor, double size, int rgb) {
            return new Text(text, x, y, anchor, size, rgb, false, false);
        }
    }

    /** A tick mark on an axis, the grid line across the plot at the same value, and the value's label. */
    public record Tick(double value, Line mark, Line grid, Text label) {
    }

    /** One curve: its distinct points by increasing cost, in pixels. */
    public record Series(String name, int rgb, List<Point> points) {
    }

    public record Dot(String name, Point at, Text label) {
    }

    /** A legend row: a line sample (curves) or a dot (single experts) and the text. */
    public record LegendEntry(int rgb, Line sample, Point dot, Text text) {
    }

    /** The drawing primitives a renderer provides; coordinates in plot pixels, later calls draw on top. */
    public interface Canvas {
        void line(Line line, int rgb, double width);

        /** @param name what the line shows (a tooltip, where the format has them) */
        void polyline(String name, List<Point> points, int rgb, double width);

        /** @param name what the dot shows, or null */
        void dot(String name, Point at, int rgb);

        void text(Text text);
    }

    /** Draws the plot on {@code c}: grid, axes and ticks, labels, experts, curves, legend. */
    public void paint(Canvas c) {
        xTicks.forEach(t -> c.line(t.grid(), GRID, 1));
        yTicks.forEach(t -> c.line(t.grid(), GRID, 1));
        axes.forEach(l -> c.line(l, BLACK, 1));
        for (Tick t : concat(xTicks, yTicks)) {
            c.line(t.mark(), BLACK, 1);
            c.text(t.label());
        }
        axisLabels.forEach(c::text);
        c.text(title);
        for (Dot d : experts) {
            c.dot(d.name(), d.at(), GRAY);
            c.text(d.label());
        }
        series.forEach(s -> c.polyline(s.name(), s.points(), s.rgb(), SERIES_WIDTH));
        for (LegendEntry e : legend) {
            if (e.sample() != null) {
                c.line(e.sample(), e.rgb(), SERIES_WIDTH);
            } else {
                c.dot(null, e.dot(), e.rgb());
            }
            c.text(e.text());
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Lays out the report's curves and experts, titled after its data. */
    public static CurvePlot of(List<CostQualityCurve> curves, EvalReport report) {
        return of(curves, report.experts(), "Cost-quality curves: " + shortData(report.data())
                + String.format(Locale.ROOT, " (%,d queries)", report.rows()));
    }

    /** Lays out curves and single experts (as dots) under a title; the axes start at cost 0 and end on ticks. */
    public static CurvePlot of(List<CostQualityCurve> curves, List<EvalReport.ExpertRow> experts, String title) {
        double xMax = 0;
        double yMin = 1;
        double yMax = 0;
        for (EvalReport.ExpertRow e : experts) {
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
        if (yMin > yMax) { // nothing to plot
            yMin = 0;
            yMax = 1;
        }
        Scale xs = Scale.nice(0, xMax <= 0 ? 1 : xMax * 1.05);
        Scale ys = Scale.nice(Math.max(0, yMin - 0.02), Math.min(1, yMax + 0.02));
        Box area = new Box(LEFT, TOP, WIDTH - RIGHT, TOP + PLOT_HEIGHT);
        Layout at = new Layout(area, xs, ys);

        List<Line> axes = List.of(new Line(new Point(area.left, area.bottom), new Point(area.right, area.bottom)),
                new Line(new Point(area.left, area.top), new Point(area.left, area.bottom)));
        List<Tick> xTicks = new ArrayList<>();
        for (double v : xs.ticks()) {
            double px = at.x(v);
            xTicks.add(new Tick(v, new Line(new Point(px, area.bottom), new Point(px, area.bottom + 5)),
                    new Line(new Point(px, area.top), new Point(px, area.bottom)),
                    Text.plain(xs.format(v), px, area.bottom + 18, Anchor.MIDDLE, 11, BLACK)));
        }
        List<Tick> yTicks = new ArrayList<>();
        for (double v : ys.ticks()) {
            double py = at.y(v);
            yTicks.add(new Tick(v, new Line(new Point(area.left - 5, py), new Point(area.left, py)),
                    new Line(new Point(area.left, py), new Point(area.right, py)),
                    Text.plain(ys.format(v), area.left - 8, py + 4, Anchor.END, 11, BLACK)));
        }
        List<Text> axisLabels = List.of(
                Text.plain("average cost per query", (area.left + area.right) / 2, area.bottom + 38, Anchor.MIDDLE,
                        12, BLACK),
                new Text("accuracy", 18, (area.top + area.bottom) / 2, Anchor.MIDDLE, 12, BLACK, false, true));

        List<Series> series = new ArrayList<>();
        List<LegendEntry> legend = new ArrayList<>();
        double row = area.bottom + 62;
        for (int c = 0; c < curves.size(); c++) {
            CostQualityCurve curve = curves.get(c);
            int rgb = COLORS[c % COLORS.length];
            List<Point> line = new ArrayList<>();
            for (CostQualityCurve.Point p : curve.points().stream()
                    .sorted(Comparator.comparingDouble(CostQualityCurve.Point::cost)).toList()) {
                Point px = new Point(at.x(p.cost()), at.y(p.accuracy()));
                if (line.isEmpty() || !px.equals(line.get(line.size() - 1))) { // many lambdas make the same choice
                    line.add(px);
                }
            }
            series.add(new Series(curve.name(), rgb, line));
            legend.add(new LegendEntry(rgb, new Line(new Point(area.left, row - 4), new Point(area.left + 24, row - 4)),
                    null, Text.plain(String.format(Locale.ROOT, "%s (area %.4f)", curve.name(), curve.area()),
                    area.left + 32, row, Anchor.START, 11, BLACK)));
            row += LEGEND_ROW;
        }
        if (!experts.isEmpty()) {
            legend.add(new LegendEntry(GRAY, null, new Point(area.left + 12, row - 4),
                    Text.plain("single expert (every query to it)", area.left + 32, row, Anchor.START, 11, BLACK)));
            row += LEGEND_ROW;
        }
        Text titleText = new Text(title, WIDTH / 2.0, 24, Anchor.MIDDLE, 14, BLACK, true, false);
        return new CurvePlot(WIDTH, (int) Math.ceil(row), area, titleText, axes, xTicks, yTicks, axisLabels,
                series, expertDots(experts, at), legend);
    }

    /**
     * Experts' dots with their names beside them: right of the dot, or near the right edge above-left of it (the
     * curves arrive at the most expensive expert from below); a name that would overlap an earlier one (top to
     * bottom) moves down a row, since cheap experts tend to share one cost.
     */
    private static List<Dot> expertDots(List<EvalReport.ExpertRow> experts, Layout at) {
        List<EvalReport.ExpertRow> byHeight = new ArrayList<>(experts);
        byHeight.sort(Comparator.comparingDouble(e -> -e.accuracy()));
        List<Dot> dots = new ArrayList<>();
        List<double[]> placed = new ArrayList<>(); // x from, x to, baseline
        for (EvalReport.ExpertRow e : byHeight) {
            Point p = new Point(at.x(e.cost()), at.y(e.accuracy()));
            double w = textWidth(e.name(), LABEL_SIZE);
            boolean left = p.x() + 6 + w > at.area.right;
            double from = left ? p.x() - 6 - w : p.x() + 6;
            double baseline = left ? p.y() - 6 : p.y() + LABEL_SIZE / 3;
            boolean moved = true;
            while (moved) {
                moved = false;
                for (double[] o : placed) {
                    if (from < o[1] && o[0] < from + w && Math.abs(baseline - o[2]) < LABEL_SIZE + 1) {
                        baseline = o[2] + LABEL_SIZE + 1;
                        moved = true;
                    }
                }
            }
            placed.add(new double[]{from, from + w, baseline});
            dots.add(new Dot(e.name(), p, Text.plain(e.name(), left ? p.x() - 6 : p.x() + 6, baseline,
                    left ? Anchor.END : Anchor.START, LABEL_SIZE, GRAY)));
        }
        return dots;
    }

    /** Rough width of sans-serif text (average glyph ~0.6 em); only used to keep labels apart. */
    static double textWidth(String s, double size) {
        return s.length() * size * 0.6;
    }

    private static String shortData(String data) {
        String[] parts = data.split("/");
        return parts.length < 2 ? data : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    /** Data to pixels. */
    private record Layout(Box area, Scale xs, Scale ys) {
        double x(double v) {
            return area.left + (area.right - area.left) * (v - xs.lo) / (xs.hi - xs.lo);
        }

        double y(double v) {
            return area.bottom - (area.bottom - area.top) * (v - ys.lo) / (ys.hi - ys.lo);
        }
    }

    /** An axis range widened to whole steps of 1, 2 or 5 × 10^n, the step nearest a fifth of the range. */
    record Scale(double lo, double hi, double step) {
        static Scale nice(double lo, double hi) {
            if (hi <= lo) {
                hi = lo + 1;
            }
            double raw = (hi - lo) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
            return new Scale(Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step, step);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n; i++) {
                t.add(lo + i * step);
            }
            return t;
        }

        String format(double v) {
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
