package dev.switchboard.lab.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CurvePlotTest {
    private static final int BLUE = CurvePlot.COLORS[0];
    private static final int RED = CurvePlot.COLORS[1];
    private static final int WHITE = 0xffffff;

    // 4 queries, experts cheap (cost 1, accuracy 0.5) and strong (cost 10, accuracy 0.75)
    private static final EvalData D = new EvalData(List.of("cheap", "strong"),
            new double[][]{{1, 1}, {0, 1}, {0, 1}, {1, 0}},
            new double[][]{{1, 10}, {1, 10}, {1, 10}, {1, 10}},
            new String[]{"a", "a", "b", "b"});

    /**
     * Blue: a perfect predictor, a straight rise from (1, 0.5) (all cheap) to (5.5, 1.0) (the oracle). Red: a
     * predictor that is always wrong, from (1, 0.5) down to (3.25, 0.25).
     */
    private static CurvePlot plot() {
        CostQualityCurve perfect = CostQualityCurve.trace("perfect", D.scores(), D);
        double[][] inverse = new double[D.size()][2];
        for (int i = 0; i < inverse.length; i++) {
            inverse[i] = new double[]{1 - D.scores()[i][0], 1 - D.scores()[i][1]};
        }
        CostQualityCurve wrong = CostQualityCurve.trace("wrong", inverse, D);
        return CurvePlot.of(List.of(perfect, wrong), List.of(new EvalReport.ExpertRow("cheap", 0.5, 1),
                new EvalReport.ExpertRow("strong", 0.75, 10)), "synthetic");
    }

    @Test
    void axesEndOnRoundTicks() {
        CurvePlot p = plot();
        // cost up to 10 (+5 %) -> 0..12 by 2; accuracy 0.25..1.0 (+-0.02) -> 0.2..1.0 by 0.2
        assertThat(p.xTicks().stream().map(t -> t.label().text()).toList())
                .containsExactly("0", "2", "4", "6", "8", "10", "12");
        assertThat(p.yTicks().stream().map(t -> t.label().text()).toList())
                .containsExactly("0.2", "0.4", "0.6", "0.8", "1.0");
        assertThat(p.xTicks().get(0).mark().from().x()).isEqualTo(p.area().left());
        assertThat(p.xTicks().get(6).mark().from().x()).isEqualTo(p.area().right());
        assertThat(p.yTicks().get(4).mark().to().y()).isEqualTo(p.area().top());
    }

    @Test
    void pngShowsEachCurveInItsColourTheExpertsAndTheLegend(@TempDir Path dir) throws Exception {
        CurvePlot p = plot();
        Path file = dir.resolve("curve.png");
        PngCurvePlot.write(p, file);
        BufferedImage img = ImageIO.read(file.toFile());
        int s = PngCurvePlot.SCALE;
        assertThat(img.getWidth()).isEqualTo(760 * s);
        assertThat(img.getHeight()).isEqualTo(p.height() * s).isGreaterThan(400 * s);

        // positions from the axis ticks, independently of how the curves were laid out
        assertThat(colourNear(img, px(p, 3.25), py(p, 0.75))).as("middle of the blue rise").isEqualTo(BLUE);
        assertThat(colourNear(img, px(p, 2.125), py(p, 0.375))).as("middle of the red fall").isEqualTo(RED);
        assertThat(colourNear(img, px(p, 10), py(p, 0.75))).as("strong's dot").isEqualTo(CurvePlot.GRAY);
        assertThat(img.getRGB(px(p, 9), py(p, 0.3)) & 0xffffff).as("empty plot area").isEqualTo(WHITE);
        assertThat(colourNear(img, (int) (p.area().left() * s), py(p, 0.5))).as("y axis").isEqualTo(0);
        // below the blue rise and right of the red fall nothing is drawn
        assertThat(colourNear(img, px(p, 5), py(p, 0.3))).isEqualTo(WHITE);

        CurvePlot.Line blueSample = p.legend().get(0).sample();
        assertThat(colourNear(img, (int) ((blueSample.from().x() + blueSample.to().x()) / 2 * s),
                (int) (blueSample.from().y() * s))).as("legend row of the blue curve").isEqualTo(BLUE);
        assertThat(p.legend().get(0).text().text()).startsWith("perfect (area 0.8750");
        assertThat(darkPixels(img, 0, (int) (p.area().top() * s))).as("the title is drawn").isGreaterThan(50);
    }

    @Test
    void svgDrawsTheSameModel() {
        String svg = SvgCurvePlot.render(plot());
        assertThat(svg).startsWith("<svg").contains("width=\"760\"")
                .contains("stroke=\"#1f77b4\"").contains("stroke=\"#d62728\"")
                .contains(">synthetic</text>").contains(">accuracy</text>").contains(">perfect (area 0.8750)</text>")
                .contains("<title>strong</title>").containsPattern("<polyline[^>]*><title>wrong</title>");
    }

    private static int px(CurvePlot p, double cost) {
        return pixel(p.xTicks(), cost, true);
    }

    private static int py(CurvePlot p, double accuracy) {
        return pixel(p.yTicks(), accuracy, false);
    }

    /** Image pixel of a value, interpolated between an axis's first and last tick. */
    private static int pixel(List<CurvePlot.Tick> ticks, double v, boolean x) {
        CurvePlot.Tick a = ticks.get(0);
        CurvePlot.Tick b = ticks.get(ticks.size() - 1);
        double pa = x ? a.grid().from().x() : a.grid().from().y();
        double pb = x ? b.grid().from().x() : b.grid().from().y();
        return (int) Math.round((pa + (pb - pa) * (v - a.value()) / (b.value() - a.value())) * PngCurvePlot.SCALE);
    }

    /** The colour of a fully covered pixel within 2 pixels (lines are anti-aliased at their edges), else WHITE. */
    private static int colourNear(BufferedImage img, int x, int y) {
        int white = WHITE;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int c = img.getRGB(x + dx, y + dy) & 0xffffff;
                if (c != white && isPalette(c)) {
                    return c;
                }
            }
        }
        return white;
    }

    private static boolean isPalette(int c) {
        return c == BLUE || c == RED || c == CurvePlot.GRAY || c == 0;
    }

    private static int darkPixels(BufferedImage img, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xff) < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
