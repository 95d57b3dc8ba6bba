package io.matchledger.bench;

import io.matchledger.bench.BenchReport.DatabaseReport;
import io.matchledger.bench.BenchReport.History;
import io.matchledger.bench.BenchReport.Lag;
import io.matchledger.bench.BenchReport.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The targets of issue 7 (and issue 12's against baseline (d)), next to what one database measured. They are
 * reported, never asserted: a MISS is a finding for docs/performance.md, not a failed run.
 */
final class Targets {

    static final double LEDGER_VS_RAW_APPEND = 0.5;
    static final double LEDGER_VS_RAW_APPEND_AIM = 0.8;
    /** Issue 12: at least as fast as the CRUD ledger a user would write instead, baseline (d). */
    static final double LEDGER_VS_CRUD = 1.0;

    static final double HISTORY_FACTOR = 1.5;
    static final double REPLAY_EVENTS_PER_SECOND_H2 = 50_000;
    static final double LAG_P99_MS = 250;
    /** The share of the lag phase's target rate the service must achieve for its lag to count. */
    static final double LAG_RATE_TAKEN = 0.95;

    /** Issue 15: recording a match costs at most 10% more CPU with a current season defined. */
    static final double SEASON_CPU_RATIO = 1.10;

    static final double READ_P99_MS = 20;
    static final double RSS_MB = 512;

    private Targets() {}

    /** Issue 12: the batch endpoint, over HTTP from another JVM, at half the raw append rate or better. */
    static final double BATCH_VS_RAW_APPEND = 0.5;

    static List<Target> evaluate(DatabaseReport report) {
        List<Target> targets = new ArrayList<>();

        double ledger = best(report.ledger().inProcess());
        double rawAppend = best(report.baselines().rawAppend());
        double ratio = rawAppend == 0 ? 0 : ledger / rawAppend;
        targets.add(new Target(
                "ledger vs raw append (c), best rates",
                format("%.2fx (%,.0f vs %,.0f matches/s)", ratio, ledger, rawAppend),
                format(">= %.1fx, aim %.1fx", LEDGER_VS_RAW_APPEND, LEDGER_VS_RAW_APPEND_AIM),
                verdict(ratio >= LEDGER_VS_RAW_APPEND)));
        targets.add(ledgerVsCrud(ledger, best(report.baselines().crudLedger())));
        double batches = best(report.ledger().httpBatches());
        double batchRatio = rawAppend == 0 ? 0 : batches / rawAppend;
        targets.add(new Target(
                "HTTP batch endpoint vs raw append (c), best rates",
                format("%.2fx (%,.0f vs %,.0f matches/s)", batchRatio, batches, rawAppend),
                format(">= %.1fx", BATCH_VS_RAW_APPEND),
                verdict(batchRatio >= BATCH_VS_RAW_APPEND)));

        Optional<History> fresh =
                report.history().stream().filter(h -> h.earlierMatches() == 0).findFirst();
        Optional<History> longest = report.history().stream().max(Comparator.comparingInt(History::earlierMatches));
        if (fresh.isPresent()
                && longest.isPresent()
                && longest.get().earlierMatches() > 0
                && fresh.get().inMemory().p50Ms() > 0) {
            double factor =
                    longest.get().inMemory().p50Ms() / fresh.get().inMemory().p50Ms();
            targets.add(new Target(
                    format("history %,d vs new player, p50", longest.get().earlierMatches()),
                    format(
                            "%.2fx (%.2f vs %.2f ms)",
                            factor,
                            longest.get().inMemory().p50Ms(),
                            fresh.get().inMemory().p50Ms()),
                    format("<= %.1fx", HISTORY_FACTOR),
                    verdict(factor <= HISTORY_FACTOR)));
        } else {
            targets.add(new Target("history vs new player", "-", "needs sizes 0 and > 0", "n/a"));
        }

        boolean h2 = report.database().equals("h2");
        report.replay()
                .rebuildEventsPerSecond()
                .forEach((projection, rate) -> targets.add(new Target(
                        format(
                                "rebuild of %s from %,d events",
                                projection, report.replay().events()),
                        format("%,.0f events/s", rate),
                        format(">= %,.0f events/s on H2", REPLAY_EVENTS_PER_SECOND_H2),
                        h2 ? verdict(rate >= REPLAY_EVENTS_PER_SECOND_H2) : "n/a")));

        targets.add(lag(report.lag()));

        double leaderboard = report.reads().leaderboard().latency().p99Ms();
        targets.add(new Target(
                "leaderboard page p99",
                format("%.2f ms", leaderboard),
                format("< %.0f ms", READ_P99_MS),
                verdict(leaderboard < READ_P99_MS)));
        double player = report.reads().player().latency().p99Ms();
        targets.add(new Target(
                "player lookup p99",
                format("%.2f ms", player),
                format("< %.0f ms", READ_P99_MS),
                verdict(player < READ_P99_MS)));

        if (report.seasons() != null) {
            BenchReport.Seasons seasons = report.seasons();
            for (var read : List.of(
                    Map.entry("season leaderboard page p99", seasons.leaderboard()),
                    Map.entry("season player lookup p99", seasons.player()),
                    Map.entry("season around-me p99", seasons.around()))) {
                double p99 = read.getValue().latency().p99Ms();
                targets.add(new Target(
                        read.getKey(),
                        format("%.2f ms", p99),
                        format("< %.0f ms", READ_P99_MS),
                        verdict(p99 < READ_P99_MS)));
            }
            targets.add(new Target(
                    "CPU per match with a season running",
                    format("%.2fx", seasons.cpuRatio()),
                    format("<= %.2fx", SEASON_CPU_RATIO),
                    verdict(seasons.cpuRatio() <= SEASON_CPU_RATIO)));
        }

        if (report.openLoop() != null) {
            targets.add(openLoop(report.openLoop()));
        }
        if (report.httpBaselines() != null) {
            for (BenchReport.HttpRatio http : report.httpBaselines().ratios()) {
                targets.add(httpVsCrud(http));
            }
        }

        if (report.processes() != null) {
            targets.add(pair(report.processes()));
        }

        double rss = report.memory().rssPeakMb();
        targets.add(new Target(
                "peak RSS (benchmark JVM)",
                format("%.0f MB (heap max %.0f MB)", rss, report.memory().heapMaxMb()),
                format("< %.0f MB", RSS_MB),
                rss > 0 ? verdict(rss < RSS_MB) : "n/a"));
        return targets;
    }

    /** The ledger's best in-process rate against the CRUD ledger's (d) best; n/a if (d) measured nothing. */
    static Target ledgerVsCrud(double ledger, double crud) {
        String measure = "ledger vs CRUD ledger (d), best rates";
        String target = format(">= %.1fx", LEDGER_VS_CRUD);
        if (crud <= 0) {
            return new Target(measure, "-", target, "n/a");
        }
        double ratio = ledger / crud;
        return new Target(
                measure,
                format("%.2fx (%,.0f vs %,.0f matches/s)", ratio, ledger, crud),
                target,
                verdict(ratio >= LEDGER_VS_CRUD));
    }

    /**
     * Lag is only measured at 80% load if the service took that load: at a lower achieved rate, the commands queued
     * and the read model had less to follow. Every match must also have been seen, without errors.
     */
    static Target lag(Lag run) {
        double lag = run.lag().p99Ms();
        boolean loadTaken = run.achievedRate() >= LAG_RATE_TAKEN * run.targetRate();
        String value = format("%.1f ms (%,.0f of %,.0f/s achieved)", lag, run.achievedRate(), run.targetRate())
                + (run.unseen() > 0 ? format(", %d never seen", run.unseen()) : "")
                + (run.errors() > 0 ? format(", %d failed", run.errors()) : "");
        return new Target(
                format("lag p99 at %,.0f matches/s", run.targetRate()),
                value,
                format("< %.0f ms at >= %.0f%% rate", LAG_P99_MS, 100 * LAG_RATE_TAKEN),
                verdict(lag < LAG_P99_MS && loadTaken && run.unseen() == 0 && run.errors() == 0));
    }

    /** Issue 25: the ledger's held open-loop rate against (d)'s; n/a when (d) held none, MISS when the ledger none. */
    static Target openLoop(BenchReport.OpenLoopRates rates) {
        String measure = "ledger vs (d) at the held open-loop rate";
        String target = format(
                ">= %.1fx (p99 < %.0f ms, lag p99 < %.0f ms)",
                LEDGER_VS_CRUD, rates.commandP99LimitMs(), rates.lagP99LimitMs());
        double ledger = rates.ledger().heldRate();
        double crud = rates.crudLedger().heldRate();
        String value = format("%.2fx (%,.0f vs %,.0f matches/s)", rates.ledgerVsCrud(), ledger, crud);
        if (crud <= 0) {
            return new Target(measure, value, target, "n/a");
        }
        return new Target(measure, value, target, verdict(rates.ledgerVsCrud() >= LEDGER_VS_CRUD));
    }

    /** Issue 25: the ledger's HTTP single-request rate against baseline (e)'s at the same number of clients. */
    static Target httpVsCrud(BenchReport.HttpRatio http) {
        String measure = format("ledger HTTP vs (e) CRUD over HTTP, %d clients", http.clients());
        String target = format(">= %.1fx", LEDGER_VS_CRUD);
        if (http.ledgerHttp() <= 0 || http.crudOverHttp() <= 0) {
            return new Target(measure, "-", target, "n/a");
        }
        return new Target(
                measure,
                format(
                        "%.2fx (%,.0f vs %,.0f matches/s)",
                        http.ledgerVsCrudOverHttp(), http.ledgerHttp(), http.crudOverHttp()),
                target,
                verdict(http.ledgerVsCrudOverHttp() >= LEDGER_VS_CRUD));
    }

    /**
     * Issue 25: the read side of two processes applies events faster than one does, and both hold segments. Measured
     * (PostgreSQL, phase 9) only: no row otherwise.
     */
    static Target pair(BenchReport.Processes processes) {
        BenchReport.ProcessesLoad two = processes.loads().get(processes.loads().size() - 1);
        boolean shared = two.segments().values().stream().noneMatch(List::isEmpty);
        return new Target(
                "two processes: read side vs one process",
                format(
                        "%.2fx (%,.0f vs %,.0f events/s), segments %s",
                        processes.readSidePairOverOne(),
                        two.appliedEventsPerSecond(),
                        processes.loads().get(0).appliedEventsPerSecond(),
                        two.segments()),
                "> 1.0x, segments held by both",
                verdict(processes.readSidePairOverOne() > 1.0 && shared));
    }

    private static double best(List<LoadResult> loads) {
        return loads.stream().mapToDouble(LoadResult::perSecond).max().orElse(0);
    }

    private static String verdict(boolean met) {
        return met ? "PASS" : "MISS";
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
