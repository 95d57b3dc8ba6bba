package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.ProcessesLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured load of {@link ProcessesPhase} on whichever packaged processes run: a rest (the processes' idle cost,
 * and PostgreSQL's counters published), a warm-up, then the closed load over HTTP, the read side awaited, and the
 * counters read again after the next rest.
 */
final class ProcessLoad {

    /** Progress lines per {@link #measure}. */
    static final int STEPS = 1;

    private static final long STATS_DELAY_NANOS = TimeUnit.SECONDS.toNanos(11);
    private static final double TICKS_PER_SECOND = 100;

    private final BenchSettings settings;
    private final Progress progress;
    private final String database;
    private final DatabaseCounters counters;
    private final CpuMeter cpu;
    private final MatchPairs pool;
    /** Matches acknowledged so far, over every load: what the read side must hold. */
    private final AtomicLong acknowledged = new AtomicLong();

    private final AtomicLong retries = new AtomicLong();
    private int round;

    ProcessLoad(
            BenchSettings settings,
            Progress progress,
            String database,
            DatabaseCounters counters,
            CpuMeter cpu,
            MatchPairs pool) {
        this.settings = settings;
        this.progress = progress;
        this.database = database;
        this.counters = counters;
        this.cpu = cpu;
        this.pool = pool;
    }

    /** The pool's players, registered over HTTP on {@code process}. */
    void register(PackagedProcess process) {
        long started = System.nanoTime();
        LoadResult registered = ClosedLoad.run(
                8,
                pool.players(),
                i -> process.send("PUT", "/api/players/" + pool.player(i), "{\"name\":\"Process pool " + i + "\"}"));
        ServiceUnderTest.requireNoErrors("registering the processes' pool", registered);
        progress.step(
                database,
                String.format(Locale.ROOT, "two processes: registered %,d players", pool.players()),
                seconds(started));
    }

    ProcessesLoad measure(List<PackagedProcess> processes) throws Exception {
        int n = processes.size();
        round++;
        long started = System.nanoTime();
        String prefix = "proc" + round + "-";
        LoadResult warmup = load(processes, Math.min(8, settings.mostClients()), settings.warmup(), prefix + "w-");
        ServiceUnderTest.requireNoErrors("the processes' warm-up", warmup);
        awaitReadSide();

        // At rest: what the processes and the database spend with nothing to do, once PostgreSQL has published the
        // warm-up's counters.
        LockSupport.parkNanos(STATS_DELAY_NANOS);
        DatabaseCounters.Reading restFrom = counters.read();
        long[] restTicks = ticks(processes);
        long restStarted = System.nanoTime();
        LockSupport.parkNanos(STATS_DELAY_NANOS);
        DatabaseCounters.Reading before = counters.read();
        long[] ticksBefore = ticks(processes);
        double restSeconds = seconds(restStarted);
        DatabaseCounters.Reading rest = before.minus(restFrom);
        double restCores = 0;
        for (int p = 0; p < n; p++) {
            restCores += (ticksBefore[p] - restTicks[p]) / TICKS_PER_SECOND / restSeconds;
        }

        String loadAverageBefore = loadAverage();
        CpuMeter.Reading cpuBefore = cpu.read();
        long eventsBefore = counters.count("select count(*) from domain_event_entry");
        long loadStarted = System.nanoTime();
        long retriesBefore = retries.get();
        LoadResult load = load(processes, settings.mostClients(), settings.matches(), prefix);
        long loadEnded = System.nanoTime();
        long backlog = acknowledged.get() - matchesInReadModels();
        awaitReadSide();
        long caughtUp = System.nanoTime();
        long[] ticksAfter = ticks(processes);
        CpuMeter.Reading cpuAfter = cpu.read();
        String loadAverageAfter = loadAverage();
        long events = counters.count("select count(*) from domain_event_entry") - eventsBefore;
        Map<Integer, String> owners = counters.readModelOwners();
        long pauseStarted = System.nanoTime();
        LockSupport.parkNanos(STATS_DELAY_NANOS);
        DatabaseCounters.Reading after = counters.read();
        // What the database did in the pause after the load is its rest, not the load's.
        double pause = seconds(pauseStarted) / restSeconds;
        DatabaseCounters.Reading spent = after.minus(before);

        long matches = load.operations() - load.errors();
        double eventsPerMatch = events / (double) Math.max(1, matches);
        double readSideSeconds = (caughtUp - loadStarted) / 1e9;
        double drainSeconds = (caughtUp - loadEnded) / 1e9;
        Map<String, List<Integer>> segments = new LinkedHashMap<>();
        Map<String, Double> processUs = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            segments.put(
                    processes.get(p).name(),
                    DatabaseCounters.segmentsOf(owners, processes.get(p).pid()));
            processUs.put(
                    processes.get(p).name(),
                    (ticksAfter[p] - ticksBefore[p]) * 1e6 / TICKS_PER_SECOND / Math.max(1, matches));
        }
        ProcessesLoad result = new ProcessesLoad(
                n,
                load,
                retries.get() - retriesBefore,
                events,
                eventsPerMatch,
                readSideSeconds,
                events / readSideSeconds,
                backlog,
                backlog > 0 && drainSeconds > 0 ? backlog * eventsPerMatch / drainSeconds : null,
                segments,
                processUs,
                cpu.postgresUsPer(cpuBefore, cpuAfter, matches),
                CpuMeter.processUsPer(cpuBefore, cpuAfter, matches),
                (spent.walBytes() - pause * rest.walBytes()) / Math.max(1, matches),
                (spent.transactions() - pause * rest.transactions()) / Math.max(1, matches),
                (spent.rowsWritten() - pause * rest.rowsWritten()) / Math.max(1, matches),
                (spent.indexScans() - pause * rest.indexScans()) / Math.max(1, matches),
                spent.otherTransactions(),
                restCores,
                rest.transactions() / restSeconds,
                rest.walBytes() / restSeconds,
                loadAverageBefore + " -> " + loadAverageAfter);
        progress.step(
                database,
                String.format(
                        Locale.ROOT,
                        "%d process(es): %s; read side %,.0f events/s (backlog %,d matches at the last answer), "
                                + "segments %s; CPU us/match %s + PostgreSQL %.0f; WAL %,.0f B, %.1f transactions "
                                + "per match; load average %s",
                        n,
                        load.describe("matches"),
                        result.appliedEventsPerSecond(),
                        backlog,
                        segments,
                        processUs.values().stream()
                                .map(us -> String.format(Locale.ROOT, "%.0f", us))
                                .toList(),
                        result.postgresUsPerMatch() == null ? Double.NaN : result.postgresUsPerMatch(),
                        result.walBytesPerMatch(),
                        result.transactionsPerMatch(),
                        result.loadAverage()),
                seconds(started));
        return result;
    }

    /**
     * A closed load of {@code matches} over HTTP, match {@code i} to process {@code i % n}. A 503 (contention with
     * the other process on a player, or overload) is retried at once, as a client told to retry would, up to five
     * times; the retries are counted.
     */
    private LoadResult load(List<PackagedProcess> processes, int clients, int matches, String prefix) {
        LoadResult load = ClosedLoad.run(clients, matches, i -> {
            PackagedProcess process = processes.get(i % processes.size());
            String body = "{\"matchId\":\"" + prefix + i + "\",\"winner\":\"" + pool.winner(i) + "\",\"loser\":\""
                    + pool.loser(i) + "\"}";
            for (int attempt = 1; ; attempt++) {
                try {
                    process.send("POST", "/api/matches", body);
                    break;
                } catch (PackagedProcess.Unavailable busy) {
                    if (attempt == 5) {
                        throw busy;
                    }
                    retries.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        });
        acknowledged.addAndGet(load.operations() - load.errors());
        return load;
    }

    /** Matches in the match read model and in both players' standings (the least of the two). */
    private long matchesInReadModels() throws Exception {
        long records = counters.count("select count(*) from match_record");
        long standings = counters.count("select coalesce(sum(matches), 0) / 2 from player_standing");
        return Math.min(records, standings);
    }

    /** Until every acknowledged match is in the read models (at most five minutes). */
    private void awaitReadSide() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (matchesInReadModels() < acknowledged.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the read models hold " + matchesInReadModels() + " of "
                        + acknowledged.get() + " acknowledged matches after five minutes");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static long[] ticks(List<PackagedProcess> processes) {
        return processes.stream().mapToLong(PackagedProcess::cpuTicks).toArray();
    }

    /** The 1-, 5- and 15-minute load averages, as uptime shows them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException unknown) {
            return "?";
        }
    }
}
