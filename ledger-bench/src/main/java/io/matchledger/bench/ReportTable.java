package io.matchledger.bench;

import io.matchledger.bench.BenchReport.DatabaseReport;
import io.matchledger.bench.BenchReport.History;
import io.matchledger.bench.BenchReport.Ratios;
import io.matchledger.bench.BenchReport.Target;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The tables printed at the end of a run: what the JSON holds, for a person. */
final class ReportTable {

    private ReportTable() {}

    static void print(BenchReport report, PrintStream out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "Match Ledger benchmark, started %s%s%n",
                report.startedAt(),
                report.smoke() ? "  (SMOKE: --quick sizes, the numbers say nothing about the ledger)" : "");
        out.printf(
                Locale.ROOT,
                "%d cores, Java %s, %s, heap max %.0f MB%n",
                report.machine().cores(),
                report.machine().java(),
                report.machine().os(),
                report.machine().heapMaxMb());
        for (DatabaseReport database : report.databases()) {
            out.println();
            if (!database.measured()) {
                out.printf(Locale.ROOT, "== %s: %s (%s)%n", database.database(), database.status(), database.reason());
                continue;
            }
            out.printf(
                    Locale.ROOT, "== %s (service started in %.1f s)%n", database.database(), database.startupSeconds());
            throughput(database, out);
            out.println();
            measures(database, out);
        }
        out.println();
    }

    private static void throughput(DatabaseReport database, PrintStream out) {
        boolean postgresCpu = database.ledger().inProcess().stream()
                .anyMatch(load -> load.cpu() != null && load.cpu().postgresUsPerMatch() != null);
        out.printf(
                Locale.ROOT,
                "%-42s %7s %11s %9s %9s %8s %8s %10s%s%n",
                "matches recorded",
                "clients",
                "matches/s",
                "p50 ms",
                "p99 ms",
                "vs (c)",
                "vs (d)",
                "CPU us/m",
                postgresCpu ? String.format(Locale.ROOT, " %10s", "pg us/m") : "");
        List<LoadResult> rawAppend = database.baselines().rawAppend();
        List<LoadResult> crud = database.baselines().crudLedger();
        rows(out, "ledger, group commit (in-process)", database.ledger().inProcess(), rawAppend, crud, postgresCpu);
        rows(out, "ledger, HTTP (client in its own JVM)", database.ledger().http(), rawAppend, crud, postgresCpu);
        rows(
                out,
                String.format(
                        Locale.ROOT,
                        "ledger, HTTP batches of %d",
                        database.ledger().httpBatchSize()),
                database.ledger().httpBatches(),
                rawAppend,
                crud,
                postgresCpu);
        rows(out, "baseline (a) 2 atomic updates", database.baselines().atomicUpdates(), rawAppend, crud, postgresCpu);
        rows(
                out,
                "baseline (b) match row + 2 updates",
                database.baselines().matchWithUpdates(),
                rawAppend,
                crud,
                postgresCpu);
        rows(
                out,
                String.format(
                        Locale.ROOT,
                        "baseline (c) raw append 2 x %d+%d bytes",
                        database.baselines().payloadBytes(),
                        database.baselines().metadataBytes()),
                rawAppend,
                rawAppend,
                crud,
                postgresCpu);
        rows(out, "baseline (d) CRUD ledger, no events", crud, rawAppend, crud, postgresCpu);
        out.print("ledger (in-process) / baseline:");
        for (Ratios ratios : database.ratios()) {
            out.printf(
                    Locale.ROOT,
                    "  %d clients: a %.2f, b %.2f, c %.2f, d %.2f;",
                    ratios.clients(),
                    ratios.inProcessVsAtomicUpdates(),
                    ratios.inProcessVsMatchWithUpdates(),
                    ratios.inProcessVsRawAppend(),
                    ratios.inProcessVsCrudLedger());
        }
        out.println();
        openLoop(database, out);
        httpBaselines(database, out, postgresCpu);
        out.println("CPU us/m: microseconds of the benchmark JVM's CPU per match (service, projections, H2, in-process "
                + "callers; not the HTTP client's JVM), from the load's start until the projections had "
                + "handled its last event"
                + (postgresCpu ? "; pg us/m: the PostgreSQL server's processes " + "over the same time" : ""));
        out.printf(
                Locale.ROOT,
                "At rest (no load, projections at the head) the JVM used %.1f%% of a core: in a load "
                        + "of r matches/s, %,.0f / r us of each match's CPU%n",
                100 * database.ledger().idleCpuCores(),
                1e6 * database.ledger().idleCpuCores());
    }

    private static void rows(
            PrintStream out,
            String label,
            List<LoadResult> loads,
            List<LoadResult> rawAppend,
            List<LoadResult> crud,
            boolean postgresCpu) {
        for (int level = 0; level < loads.size(); level++) {
            LoadResult load = loads.get(level);
            LoadResult.Cpu cpu = load.cpu();
            out.printf(
                    Locale.ROOT,
                    "%-42s %7d %11.0f %9.2f %9.2f %8s %8s %10s%s%s%n",
                    level == 0 ? label : "",
                    load.clients(),
                    load.perSecond(),
                    load.latency().p50Ms(),
                    load.latency().p99Ms(),
                    versus(load, rawAppend, level),
                    versus(load, crud, level),
                    cpu == null ? "-" : String.format(Locale.ROOT, "%,.0f", cpu.processUsPerMatch()),
                    !postgresCpu
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " %10s",
                                    cpu == null || cpu.postgresUsPerMatch() == null
                                            ? "-"
                                            : String.format(Locale.ROOT, "%,.0f", cpu.postgresUsPerMatch())),
                    load.errors() > 0 ? "  " + load.errors() + " errors" : "");
        }
    }

    /** Issue 25: the held open-loop rate of either side, with the confirming run's p99s and CPU. */
    private static void openLoop(DatabaseReport database, PrintStream out) {
        BenchReport.OpenLoopRates rates = database.openLoop();
        if (rates == null) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "open-loop rate held for %.0f s (commands p99 < %.0f ms; ledger also lag p99 < %.0f ms):%n",
                rates.windowSeconds(),
                rates.commandP99LimitMs(),
                rates.lagP99LimitMs());
        for (var side : List.of(
                java.util.Map.entry("ledger, group commit (in-process)", rates.ledger()),
                java.util.Map.entry("baseline (d) CRUD ledger", rates.crudLedger()))) {
            BenchReport.Probe held = side.getValue().held();
            out.printf(
                    Locale.ROOT,
                    "  %-40s %,9.0f matches/s%s%n",
                    side.getKey(),
                    side.getValue().heldRate(),
                    held == null
                            ? "  (no rate held; " + side.getValue().probes().size() + " probes)"
                            : String.format(
                                    Locale.ROOT,
                                    "  p99 %.1f ms%s, CPU %,.0f us/m%s",
                                    held.run().commands().p99Ms(),
                                    held.run().lag() == null
                                            ? ""
                                            : String.format(
                                                    Locale.ROOT,
                                                    ", lag p99 %.1f ms",
                                                    held.run().lag().p99Ms()),
                                    held.cpu().processUsPerMatch(),
                                    held.cpu().postgresUsPerMatch() == null
                                            ? ""
                                            : String.format(
                                                    Locale.ROOT,
                                                    " + pg %,.0f",
                                                    held.cpu().postgresUsPerMatch())));
        }
        out.printf(Locale.ROOT, "  ledger / (d) at the held rate: %.2fx%n", rates.ledgerVsCrud());
    }

    /** Issue 25: baseline (e) and the HTTP ceiling, with the ledger's HTTP rate at the same clients. */
    private static void httpBaselines(DatabaseReport database, PrintStream out, boolean postgresCpu) {
        BenchReport.HttpBaselines http = database.httpBaselines();
        if (http == null) {
            return;
        }
        List<LoadResult> none = List.of();
        rows(out, "baseline (e) (d) behind Spring MVC, HTTP", http.crudOverHttp(), none, none, postgresCpu);
        rows(out, "HTTP ceiling: GET /actuator/health", http.health(), none, none, postgresCpu);
        for (BenchReport.HttpRatio ratio : http.ratios()) {
            out.printf(
                    Locale.ROOT,
                    "  %d clients: ledger HTTP %,.0f/s = %.2fx (e), %.2fx ceiling; (e) = %.2fx ceiling%n",
                    ratio.clients(),
                    ratio.ledgerHttp(),
                    ratio.ledgerVsCrudOverHttp(),
                    ratio.ledgerVsHealth(),
                    ratio.crudOverHttpVsHealth());
        }
    }

    /** This load's rate / the baseline's at the same number of clients, or "-" if that baseline has none. */
    private static String versus(LoadResult load, List<LoadResult> baseline, int level) {
        double rate = level < baseline.size() ? baseline.get(level).perSecond() : 0;
        return rate == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", load.perSecond() / rate);
    }

    private static void measures(DatabaseReport database, PrintStream out) {
        String format = "%-42s %-34s %-24s %s%n";
        out.printf(Locale.ROOT, format, "measure", "value", "target", "verdict");
        BenchReport.Replay replay = database.replay();
        out.printf(
                Locale.ROOT,
                format,
                "seeding (event storage engine)",
                String.format(Locale.ROOT, "%,.0f events/s", replay.seedEventsPerSecond()),
                "",
                "");
        for (History history : database.history()) {
            out.printf(
                    Locale.ROOT,
                    format,
                    String.format(Locale.ROOT, "history %,d: first / p50 / p99", history.earlierMatches()),
                    String.format(
                            Locale.ROOT,
                            "%.1f / %.2f / %.2f ms",
                            history.firstMs(),
                            history.inMemory().p50Ms(),
                            history.inMemory().p99Ms()),
                    "",
                    "");
            out.printf(
                    Locale.ROOT,
                    format,
                    "  ledgers evicted: p50 / p99",
                    String.format(
                            Locale.ROOT,
                            "%.2f / %.2f ms",
                            history.evicted().p50Ms(),
                            history.evicted().p99Ms()),
                    "",
                    "");
        }
        BenchReport.Lag lag = database.lag();
        out.printf(
                Locale.ROOT,
                format,
                "lag p50 (achieved rate)",
                String.format(
                        Locale.ROOT, "%.1f ms (%,.0f matches/s)", lag.lag().p50Ms(), lag.achievedRate()),
                "",
                "");
        out.printf(
                Locale.ROOT,
                format,
                "reads p50: leaderboard / player",
                String.format(
                        Locale.ROOT,
                        "%.2f / %.2f ms",
                        database.reads().leaderboard().latency().p50Ms(),
                        database.reads().player().latency().p50Ms()),
                "",
                "");
        for (Target target : database.targets()) {
            out.printf(Locale.ROOT, format, target.measure(), target.value(), target.target(), target.verdict());
        }
    }
}
