package dev.switchboard.lab.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Draws a {@link CurvePlot} into a PNG with java.awt, headless (no display needed). */
public final class PngCurvePlot implements CurvePlot.Canvas {
    /** Image pixels per plot pixel: 2 keeps text sharp on high-density screens and in docs. */
    public static final int SCALE = 2;

    static {
        // must hold before AWT picks its toolkit; the CLI never opens a window
        System.setProperty("java.awt.headless", "true");
    }

    private final Graphics2D g;

    private PngCurvePlot(Graphics2D g) {
        this.g = g;
    }

    public static void write(CurvePlot p, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(render(p, SCALE), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JRE for " + file);
        }
    }

    /** The plot at {@code scale} image pixels per plot pixel. */
    public static BufferedImage render(CurvePlot p, int scale) {
        BufferedImage img = new BufferedImage(p.width() * scale, p.height() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(scale, scale);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, p.width(), p.height());
            p.paint(new PngCurvePlot(g));
        } finally {
            g.dispose();
        }
        return img;
    }

    @Override
    public void line(CurvePlot.Line l, int rgb, double width) {
        g.setColor(new Color(rgb));
        g.setStroke(new BasicStroke((float) width));
        g.draw(new Line2D.Double(l.from().x(), l.from().y(), l.to().x(), l.to().y()));
    }

    @Override
    public void polyline(String name, List<CurvePlot.Point> points, int rgb, double width) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
            if (i == 0) {
                path.moveTo(points.get(i).x(), points.get(i).y());
            } else {
                path.lineTo(points.get(i).x(), points.get(i).y());
            }
        }
        g.setColor(new Color(rgb));
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    @Override
    public void dot(String name, CurvePlot.Point at, int rgb) {
        double r = CurvePlot.DOT_RADIUS;
        g.setColor(new Color(rgb));
        g.fill(new Ellipse2D.Double(at.x() - r, at.y() - r, 2 * r, 2 * r));
    }

    @Override
    public void text(CurvePlot.Text t) {
        g.setFont(new Font(Font.SANS_SERIF, t.bold() ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) t.size()));
        g.setColor(new Color(t.rgb()));
        double w = g.getFontMetrics().getStringBounds(t.text(), g).getWidth();
        double dx = switch (t.anchor()) {
            case START -> 0;
            case MIDDLE -> -w / 2;
            case END -> -w;
        };
        Graphics2D tg = (Graphics2D) g.create();
        try {
            tg.translate(t.x(), t.y());
            if (t.vertical()) {
                tg.rotate(-Math.PI / 2);
            }
            tg.drawString(t.text(), (float) dx, 0f);
        } finally {
            tg.dispose();
        }
    }
}
