package dev.switchboard.lab.eval;

import java.util.List;
import java.util.Locale;

/** Draws a {@link CurvePlot} as a self-contained SVG; curves and experts' dots carry their names as tooltips. */
public final class SvgCurvePlot implements CurvePlot.Canvas {
    private final StringBuilder s = new StringBuilder();

    private SvgCurvePlot() {
    }

    public static String render(CurvePlot p) {
        SvgCurvePlot svg = new SvgCurvePlot();
        svg.s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\">%n", p.width(), p.height()));
        svg.s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        p.paint(svg);
        svg.s.append("</svg>\n");
        return svg.s.toString();
    }

    @Override
    public void line(CurvePlot.Line l, int rgb, double width) {
        s.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                l.from().x(), l.from().y(), l.to().x(), l.to().y(), color(rgb), width));
    }

    @Override
    public void polyline(String name, List<CurvePlot.Point> points, int rgb, double width) {
        StringBuilder pts = new StringBuilder();
        points.forEach(pt -> pts.append(f("%.1f,%.1f ", pt.x(), pt.y())));
        s.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-linejoin=\"round\" "
                + "points=\"%s\"><title>%s</title></polyline>%n", color(rgb), width, pts.toString().trim(), esc(name)));
    }

    @Override
    public void dot(String name, CurvePlot.Point at, int rgb) {
        s.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\">%s</circle>%n", at.x(), at.y(),
                CurvePlot.DOT_RADIUS, color(rgb), name == null ? "" : "<title>" + esc(name) + "</title>"));
    }

    @Override
    public void text(CurvePlot.Text t) {
        String anchor = switch (t.anchor()) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        s.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%.0f\" fill=\"%s\"%s%s>%s</text>%n",
                t.x(), t.y(), anchor, t.size(), color(t.rgb()), t.bold() ? " font-weight=\"bold\"" : "",
                t.vertical() ? f(" transform=\"rotate(-90 %.1f %.1f)\"", t.x(), t.y()) : "", esc(t.text())));
    }

    private static String color(int rgb) {
        return f("#%06x", rgb & 0xffffff);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String esc(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
