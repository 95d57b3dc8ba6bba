package io.matchledger.bench;

import io.matchledger.bench.BenchReport.OpenLoopRates;
import io.matchledger.bench.BenchReport.Probe;
import io.matchledger.bench.BenchReport.RateSide;
import io.matchledger.core.GroupCommit;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.Share;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The rate at the service level (issue 25): the highest open-loop rate each side holds for a window with command
 * p99 under 50 ms, the ledger also with read-model lag p99 under 250 ms. Sides: the ledger in-process, through the
 * group commit as the web records a match, and baseline (d), the CRUD ledger's transaction, on the same pool of
 * players and the same database.
 * <p>
 * The search starts at half the side's best closed-loop rate of phase 1 and probes for a quarter of the window each:
 * up by half while every probe holds, then bisects between the highest rate held and the lowest missed. The highest
 * rate a probe held is then confirmed over the whole window; a confirmation that misses steps down by a fifth.
 */
final class RatePhase {

    static final double COMMAND_P99_MS = 50;
    static final double LAG_P99_MS = 250;
    /** The share of the target rate a side must achieve for a probe to count as held, as in the lag phase. */
    static final double RATE_TAKEN = 0.95;

    static final int PROBES = 5;
    static final int CONFIRMATIONS = 3;

    /** The hooks into the running service this phase needs; {@code awaitProjections} blocks until they are at the head. */
    record Service(GroupCommit groups, DataSource dataSource, CpuMeter cpu, Runnable awaitProjections) {}

    private final BenchSettings settings;
    private final Progress progress;
    private final String database;
    private final Service service;
    private final MatchPairs pool;
    private final Baselines crud;
    private final int senders;
    private int probeNumber;

    RatePhase(
            BenchSettings settings,
            Progress progress,
            String database,
            Service service,
            MatchPairs pool,
            Baselines crud) {
        this.settings = settings;
        this.progress = progress;
        this.database = database;
        this.service = service;
        this.pool = pool;
        this.crud = crud;
        // Enough senders that a side answering in up to 50 ms still gets every match on time at the rates measured
        // here; a sender blocked longer makes the next matches late, which their latency from the due time shows.
        this.senders = Math.max(64, 2 * settings.mostClients());
    }

    /** Progress lines: one per side. */
    static int steps() {
        return 2;
    }

    OpenLoopRates run(double ledgerBest, double crudBest) throws Exception {
        RateSide ledger = side("ledger in-process", ledgerBest, true);
        RateSide crudSide = side("baseline (d)", crudBest, false);
        double ratio = crudSide.heldRate() > 0 ? ledger.heldRate() / crudSide.heldRate() : 0;
        return new OpenLoopRates(
                settings.rateSeconds(), probeSeconds(), senders, COMMAND_P99_MS, LAG_P99_MS, ledger, crudSide, ratio);
    }

    private double probeSeconds() {
        return Math.max(1, settings.rateSeconds() / 4);
    }

    private RateSide side(String label, double best, boolean ledger) throws Exception {
        long started = System.nanoTime();
        double start = Math.max(1, best / 2);
        List<Probe> probes = new ArrayList<>();
        double low = 0;
        double high = Double.POSITIVE_INFINITY;
        double rate = start;
        for (int p = 0; p < PROBES; p++) {
            Probe probe = probe(label, rate, probeSeconds(), false, ledger);
            probes.add(probe);
            if (probe.held()) {
                low = Math.max(low, rate);
            } else {
                high = Math.min(high, rate);
            }
            rate = high == Double.POSITIVE_INFINITY ? rate * 1.5 : low > 0 ? (low + high) / 2 : rate / 2;
        }
        Probe held = null;
        double confirm = low > 0 ? low : rate;
        for (int c = 0; c < CONFIRMATIONS && held == null; c++) {
            Probe probe = probe(label, confirm, settings.rateSeconds(), true, ledger);
            probes.add(probe);
            if (probe.held()) {
                held = probe;
            } else {
                confirm *= 0.8;
            }
        }
        RateSide side = new RateSide(start, held == null ? 0 : held.run().targetRate(), held, probes);
        progress.step(
                database,
                String.format(
                        Locale.ROOT,
                        "open-loop rate, %s: held %,.0f matches/s for %.0f s%s",
                        label,
                        side.heldRate(),
                        settings.rateSeconds(),
                        held == null
                                ? " (no rate held)"
                                : String.format(
                                        Locale.ROOT,
                                        " (commands p99 %.1f ms%s)",
                                        held.run().commands().p99Ms(),
                                        held.run().lag() == null
                                                ? ""
                                                : String.format(
                                                        Locale.ROOT,
                                                        ", lag p99 %.1f ms",
                                                        held.run().lag().p99Ms()))),
                (System.nanoTime() - started) / 1e9);
        return side;
    }

    private Probe probe(String label, double rate, double seconds, boolean confirmation, boolean ledger)
            throws Exception {
        int number = probeNumber++;
        String prefix = (ledger ? "or" : "dr") + number + "-";
        // Every probe starts with the projections at the head, so none pays for an earlier one's backlog.
        service.awaitProjections().run();
        CpuMeter.Reading before = service.cpu().read();
        OpenLoop.Run run = OpenLoop.run(
                rate,
                seconds,
                senders,
                ledger ? i -> recordMatch(prefix + i, i) : i -> crudMatch(prefix + i, i),
                ledger ? service.dataSource() : null,
                settings.quick() ? 3 : 10);
        CpuMeter.Reading end = service.cpu().read();
        long caughtUp = System.nanoTime();
        if (ledger) {
            service.awaitProjections().run();
        }
        CpuMeter.Reading after = ledger ? service.cpu().read() : end;
        long matches = run.matches() - run.errors();
        LoadResult.Cpu cpu = new LoadResult.Cpu(
                CpuMeter.processUsPer(before, after, matches),
                CpuMeter.processUsPer(before, end, matches),
                service.cpu().postgresUsPer(before, after, matches),
                ledger ? (System.nanoTime() - caughtUp) / 1e9 : 0);
        String why = missed(run);
        Probe probe = new Probe(confirmation, why == null, why, run, cpu);
        progress.note(
                database,
                String.format(
                        Locale.ROOT,
                        "open-loop %s%s at %,.0f/s for %.0f s: achieved %,.0f/s, commands p99 %.1f ms%s, %s",
                        label,
                        confirmation ? " (confirmation)" : "",
                        rate,
                        seconds,
                        run.achievedRate(),
                        run.commands().p99Ms(),
                        run.lag() == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", lag p99 %.1f ms",
                                        run.lag().p99Ms()),
                        why == null ? "held" : "missed: " + why),
                true);
        return probe;
    }

    /** Why a run does not count as held at its rate, or null when it does. */
    static String missed(OpenLoop.Run run) {
        if (run.errors() > 0) {
            return run.errors() + " failed, first: " + run.firstError();
        }
        if (run.achievedRate() < RATE_TAKEN * run.targetRate()) {
            return String.format(Locale.ROOT, "achieved %,.0f of %,.0f/s", run.achievedRate(), run.targetRate());
        }
        if (run.commands().p99Ms() >= COMMAND_P99_MS) {
            return String.format(
                    Locale.ROOT, "commands p99 %.1f ms", run.commands().p99Ms());
        }
        if (run.lag() != null && run.unseen() > 0) {
            return run.unseen() + " never seen in the read model";
        }
        if (run.lag() != null && run.lag().p99Ms() >= LAG_P99_MS) {
            return String.format(Locale.ROOT, "lag p99 %.1f ms", run.lag().p99Ms());
        }
        return null;
    }

    private OpenLoop.Shown recordMatch(String matchId, int i) {
        MatchSettlement settled = service.groups()
                .record(new RecordMatchCommand(matchId, pool.winner(i), pool.loser(i), Outcome.WIN, null), Map.of())
                .join();
        for (Share share : settled.players()) {
            if (share.playerId().equals(pool.winner(i))) {
                return new OpenLoop.Shown(share.playerId(), share.totalAfter());
            }
        }
        throw new IllegalStateException("the settlement of " + matchId + " does not name its winner: " + settled);
    }

    private OpenLoop.Shown crudMatch(String matchId, int i) throws Exception {
        crud.crudMatch(matchId, pool.winner(i), pool.loser(i));
        return null;
    }
}
