package io.matchledger.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per finished phase, with its share of the run and the time since the start, and notes in between for the
 * phases that take long (seeding, replay), so that a run of many minutes never looks stuck.
 */
final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();
    private final int steps;
    private int done;
    private long lastNote;

    Progress(PrintStream out, int steps) {
        this.out = out;
        this.steps = Math.max(1, steps);
    }

    /** A phase finished: what it measured, and how long it took. */
    synchronized void step(String database, String what, double seconds) {
        done++;
        out.printf(
                Locale.ROOT,
                "[%3d%% %s] %-10s %s (%.1f s)%n",
                Math.min(100, 100 * done / steps),
                clock(),
                database,
                what,
                seconds);
        out.flush();
    }

    /** A phase is starting; printed so that a long one is visible before it ends. */
    synchronized void begin(String database, String what) {
        out.printf(
                Locale.ROOT, "[%3d%% %s] %-10s %s ...%n", Math.min(100, 100 * done / steps), clock(), database, what);
        out.flush();
    }

    /** Progress inside a long phase, at most one line every five seconds unless {@code always}. */
    synchronized void note(String database, String what, boolean always) {
        long now = System.nanoTime();
        if (always || now - lastNote > 5_000_000_000L) {
            lastNote = now;
            out.printf(Locale.ROOT, "       %s  %-10s   %s%n", clock(), database, what);
            out.flush();
        }
    }

    synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    private String clock() {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
