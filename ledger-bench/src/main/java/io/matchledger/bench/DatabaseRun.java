package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.best;
import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.BaselineLoads;
import io.matchledger.bench.BenchReport.DatabaseReport;
import io.matchledger.bench.BenchReport.History;
import io.matchledger.bench.BenchReport.HttpBaselines;
import io.matchledger.bench.BenchReport.Lag;
import io.matchledger.bench.BenchReport.Ledger;
import io.matchledger.bench.BenchReport.Memory;
import io.matchledger.bench.BenchReport.OpenLoopRates;
import io.matchledger.bench.BenchReport.Ratios;
import io.matchledger.bench.BenchReport.Reads;
import io.matchledger.bench.BenchReport.Replay;
import io.matchledger.bench.BenchReport.Seasons;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every measurement on one database, in an order where each phase finds what it needs: the throughput loads on a
 * small pool of players ({@link LedgerLoadPhase}, {@link SeasonPhase}); the baselines sized after the events those
 * loads stored ({@link BaselinePhase}); the open-loop rates and the HTTP baselines of issue 25 ({@link RatePhase},
 * {@link HttpPhase}); one large seeding (the players for the reads, the long histories, and enough matches for the
 * replay) and the replay itself ({@link SeedAndReplayPhase}); then history, lag and reads on that large ledger
 * ({@link HistoryPhase}, {@link LagPhase}, {@link ReadPhase}); on PostgreSQL, after the in-process service has stopped,
 * one and two packaged processes ({@link ProcessesPhase}).
 */
final class DatabaseRun {

    private final BenchSettings settings;
    private final LedgerService.Database database;
    private final Progress progress;
    private final Path workDir;
    private final String runId;

    DatabaseRun(
            BenchSettings settings, LedgerService.Database database, Progress progress, Path workDir, String runId) {
        this.settings = settings;
        this.database = database;
        this.progress = progress;
        this.workDir = workDir;
        this.runId = runId;
    }

    /** The progress lines one database prints; see {@link #run}. */
    static int steps(BenchSettings settings) {
        // Start, pool, warm-up, HTTP, seeding, replay, catch-up, lag, reads, memory, stop; a line per client count
        // for the in-process load and for each of the four baselines; one per history size.
        // Seasons: four turns of the in-process load and the season's reads.
        // Issue 25: the open-loop rates and the HTTP baselines.
        return 11
                + 5 * settings.clients().size()
                + settings.historySizes().size()
                + 5
                + RatePhase.steps()
                + HttpPhase.steps()
                + (settings.databases().contains("postgresql") ? ProcessesPhase.STEPS : 0);
    }

    DatabaseReport run() throws Exception {
        DatabaseReport report = measureInProcess();
        if (database.isPostgres()) {
            // After the in-process service has stopped: the processes have the machine and the database to
            // themselves.
            // Its failure costs its own section only, not the in-process phases' results.
            try {
                report = report.withProcesses(new ProcessesPhase(settings, progress, database, runId, workDir).run());
            } catch (Exception failed) {
                progress.note(database.name(), "two processes failed: " + ClosedLoad.describe(failed), true);
            }
        }
        return report.withTargets(Targets.evaluate(report));
    }

    /**
     * {@code --rebuild-only}: the seeding and the rebuilds (phases 3 and 4) on a fresh service, nothing else, for
     * working on the rebuilds without the hour the whole run takes.
     */
    Replay rebuildsOnly() throws Exception {
        String name = database.name();
        progress.begin(name, "starting the service");
        LedgerService service = LedgerService.start(database, workDir, runId, settings.keepData());
        try {
            progress.step(name, "service up on port " + service.port(), service.startupSeconds);
            ServiceUnderTest sut = new ServiceUnderTest(
                    settings, progress, database, service, new MatchPairs("pool-", settings.players()));
            SeedAndReplayPhase seedAndReplay = new SeedAndReplayPhase(sut);
            return seedAndReplay.replay(seedAndReplay.seed(), false);
        } finally {
            service.close();
            progress.step(name, "service stopped", 0);
        }
    }

    private DatabaseReport measureInProcess() throws Exception {
        String name = database.name();
        PeakMemory.reset();
        progress.begin(name, "starting the service");
        LedgerService service = LedgerService.start(database, workDir, runId, settings.keepData());
        try {
            // The URL says what was measured: on H2, the shipped WRITE_DELAY=0 (or whatever a -D override put there).
            // Not its query string, which on PostgreSQL may hold credentials.
            String url = service.property("spring.datasource.url", "?").replaceFirst("\\?.*", "");
            progress.step(name, "service up on port " + service.port() + ", " + url, service.startupSeconds);
            MatchPairs pool = new MatchPairs("pool-", settings.players());
            ServiceUnderTest sut = new ServiceUnderTest(settings, progress, database, service, pool);

            Ledger ledger = new LedgerLoadPhase(sut).run();
            SeasonPhase seasons = new SeasonPhase(sut);
            SeasonPhase.SeasonCpu seasonCpu = seasons.cpu();
            BaselineLoads baselines = new BaselinePhase(sut).run();
            List<Ratios> ratios = BaselinePhase.ratios(ledger, baselines);
            // (d)'s tables afresh for the phases of issue 25, which run its transaction one match at a time.
            Baselines crud = new Baselines(service.bean(DataSource.class), pool, 1, 1);
            crud.prepare();
            OpenLoopRates openLoop = new RatePhase(
                            settings,
                            progress,
                            name,
                            new RatePhase.Service(
                                    sut.groups(), service.bean(DataSource.class), sut.cpu, sut::awaitProjections),
                            pool,
                            crud)
                    .run(best(ledger.inProcess()), best(baselines.crudLedger()));
            HttpBaselines httpBaselines = new HttpPhase(settings, progress, name, sut.cpu)
                    .run(crud, pool, service.port(), service.password(), ledger.http());
            SeedAndReplayPhase seedAndReplay = new SeedAndReplayPhase(sut);
            LedgerSeed.Seeded seeded = seedAndReplay.seed();
            Replay replay = seedAndReplay.replay(seeded);
            List<History> history = new HistoryPhase(sut).run();
            Lag lag = new LagPhase(sut).run(best(ledger.inProcess()), seeded.readPlayerPoints());
            // Reads are timed on a caught-up service, not while the projections still work off the lag load.
            long settling = System.nanoTime();
            progress.begin(name, "letting the projections catch up with the lag load");
            sut.awaitProjections();
            progress.step(name, "projections caught up", seconds(settling));
            ReadPhase readPhase = new ReadPhase(sut);
            Reads reads = readPhase.run();
            Seasons seasonReads = seasons.reads(seasonCpu, seedAndReplay.seededFrom(), readPhase);
            Memory memory = PeakMemory.read(progress, name);
            return new DatabaseReport(
                    name,
                    "measured",
                    null,
                    service.startupSeconds,
                    ledger,
                    baselines,
                    ratios,
                    replay,
                    history,
                    lag,
                    reads,
                    seasonReads,
                    memory,
                    openLoop,
                    httpBaselines,
                    null,
                    null);
        } finally {
            long stopping = System.nanoTime();
            service.close();
            progress.step(
                    name,
                    "service stopped" + (settings.keepData() ? " (data kept)" : ", data removed"),
                    seconds(stopping));
        }
    }
}
