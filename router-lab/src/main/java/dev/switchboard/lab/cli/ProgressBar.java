package dev.switchboard.lab.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/** A one-line progress bar on stderr, redrawn at most 10 times a second. */
final class ProgressBar implements IntConsumer {
    private final String label;
    private final int total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int startCount = -1;

    ProgressBar(String label, int total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
    }

    @Override
    public synchronized void accept(int done) {
        if (startCount < 0) {
            startCount = done;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - startCount) / seconds : 0;
        out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.0f/s", label, "#".repeat(filled), " ".repeat(width - filled),
                done, total, rate);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
