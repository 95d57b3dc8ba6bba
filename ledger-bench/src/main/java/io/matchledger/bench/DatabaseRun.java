package io.matchledger.bench;

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
import io.matchledger.core.GroupCommit;
import io.matchledger.core.LedgerModule;
import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.EndSeasonCommand;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.ReadModels;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.lifecycle.ProcessorShutdown;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.Projections;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every measurement on one database, in an order where each phase finds what it needs: the throughput loads on a
 * small pool of players; the baselines sized after the events those loads stored; one large seeding (the players for
 * the reads, the long histories, and enough matches for the replay); the replay itself; then history, lag and reads
 * on that large ledger.
 */
final class DatabaseRun {

    private final BenchSettings settings;
    private final LedgerService.Database database;
    private final Progress progress;
    private final Path workDir;
    private final String runId;

    private LedgerService service;
    /** Matches per request in the HTTP phase's batches (POST /api/matches/batch). */
    static final int HTTP_BATCH = 100;

    private CommandGateway commands;
    private GroupCommit groups;
    private JdbcTemplate jdbc;
    private MatchPairs pool;
    private CpuMeter cpu;

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
                + HttpPhase.steps();
    }

    /** When the seeding began: the season of the season reads starts there and holds every seeded match. */
    private Instant seededFrom;

    DatabaseReport run() throws Exception {
        String name = database.name();
        resetPeakMemory();
        progress.begin(name, "starting the service");
        service = LedgerService.start(database, workDir, runId, settings.keepData());
        try {
            // The URL says what was measured: on H2, the shipped WRITE_DELAY=0 (or whatever a -D override put there).
            // Not its query string, which on PostgreSQL may hold credentials.
            String url = service.property("spring.datasource.url", "?").replaceFirst("\\?.*", "");
            progress.step(name, "service up on port " + service.port() + ", " + url, service.startupSeconds);
            commands = service.bean(CommandGateway.class);
            groups = service.bean(GroupCommit.class);
            groups = service.bean(GroupCommit.class);
            jdbc = service.bean(JdbcTemplate.class);
            pool = new MatchPairs("pool-", settings.players());
            cpu = CpuMeter.forDatabase(database);

            Ledger ledger = ledger();
            SeasonCpu seasonCpu = seasonCpu();
            BaselineLoads baselines = baselines();
            List<Ratios> ratios = ratios(ledger, baselines);
            // (d)'s tables afresh for the phases of issue 25, which run its transaction one match at a time.
            Baselines crud = new Baselines(service.bean(DataSource.class), pool, 1, 1);
            crud.prepare();
            OpenLoopRates openLoop = new RatePhase(
                            settings,
                            progress,
                            name,
                            new RatePhase.Service(groups, service.bean(DataSource.class), cpu, this::awaitProjections),
                            pool,
                            crud)
                    .run(best(ledger.inProcess()), best(baselines.crudLedger()));
            HttpBaselines httpBaselines = new HttpPhase(settings, progress, name, cpu)
                    .run(crud, pool, service.port(), service.password(), ledger.http());
            LedgerSeed.Seeded seeded = seed();
            Replay replay = replay(seeded);
            List<History> history = history();
            double bestRate = ledger.inProcess().stream()
                    .mapToDouble(LoadResult::perSecond)
                    .max()
                    .orElse(1);
            Lag lag = lag(bestRate, seeded.readPlayerPoints());
            // Reads are timed on a caught-up service, not while the projections still work off the lag load.
            long settling = System.nanoTime();
            progress.begin(name, "letting the projections catch up with the lag load");
            awaitHead(
                    streamingProcessors().values(),
                    count("select coalesce(max(global_index), 0) from domain_event_entry"),
                    "projections");
            progress.step(name, "projections caught up", seconds(settling));
            Reads reads = reads();
            Seasons seasons = seasonReads(seasonCpu);
            Memory memory = memory();
            DatabaseReport report = new DatabaseReport(
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
                    seasons,
                    memory,
                    openLoop,
                    httpBaselines,
                    null);
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
                    seasons,
                    memory,
                    openLoop,
                    httpBaselines,
                    Targets.evaluate(report));
        } finally {
            long stopping = System.nanoTime();
            service.close();
            progress.step(
                    name,
                    "service stopped" + (settings.keepData() ? " (data kept)" : ", data removed"),
                    seconds(stopping));
        }
    }

    /**
     * {@code --rebuild-only}: the seeding and the rebuilds (phases 3 and 4) on a fresh service, nothing else, for
     * working on the rebuilds without the hour the whole run takes.
     */
    Replay rebuildsOnly() throws Exception {
        String name = database.name();
        progress.begin(name, "starting the service");
        service = LedgerService.start(database, workDir, runId, settings.keepData());
        try {
            progress.step(name, "service up on port " + service.port(), service.startupSeconds);
            commands = service.bean(CommandGateway.class);
            groups = service.bean(GroupCommit.class);
            jdbc = service.bean(JdbcTemplate.class);
            cpu = CpuMeter.forDatabase(database);
            return replay(seed());
        } finally {
            service.close();
            progress.step(name, "service stopped", 0);
        }
    }

    // ---- ledger throughput -------------------------------------------------------------------------------------

    private Ledger ledger() throws Exception {
        String name = database.name();
        long started = System.nanoTime();
        LoadResult registered = ClosedLoad.run(
                8, pool.players(), i -> commands.sendAndWait(new RegisterPlayerCommand(pool.player(i), "Pool " + i)));
        requireNoErrors("registering the pool", registered);
        progress.step(name, String.format(Locale.ROOT, "registered %,d players", pool.players()), seconds(started));

        started = System.nanoTime();
        LoadResult warmup = ClosedLoad.run(
                Math.min(8, settings.mostClients()), settings.warmup(), i -> recordMatch("warm-" + i, i));
        requireNoErrors("the warm-up", warmup);
        progress.step(name, String.format(Locale.ROOT, "warm-up: %,d matches", settings.warmup()), seconds(started));

        // The CPU the JVM spends with nothing to do (timers, pollers, the JIT finishing): part of every load's.
        awaitProjections();
        CpuMeter.Reading restFrom = cpu.read();
        long restStarted = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(settings.quick() ? 300 : 2_000));
        double idleCores =
                (cpu.read().processNanos() - restFrom.processNanos()) / (double) (System.nanoTime() - restStarted);
        progress.note(
                name,
                String.format(Locale.ROOT, "at rest the service's JVM uses %.1f%% of a core", 100 * idleCores),
                true);

        // Each load's CPU is read from a moment the projections have handled every earlier event (the warm-up's, the
        // last load's) until they have handled the load's own: the whole cost of its matches, and nothing else's.
        List<LoadResult> inProcess = new ArrayList<>();
        for (int clients : settings.clients()) {
            awaitProjections();
            CpuMeter.Reading before = cpu.read();
            LoadResult load =
                    ClosedLoad.run(clients, settings.matches(), i -> recordMatch("ip-" + clients + "-" + i, i));
            load = load.withCpu(untilHead(before).cost(cpu, load));
            inProcess.add(load);
            progress.step(name, "ledger, in-process, " + load.describe("matches"), load.seconds());
        }

        List<LoadResult> http = httpLoads("--batch=1", "single matches");
        List<LoadResult> batches = httpLoads("--batch=" + HTTP_BATCH, "batches of " + HTTP_BATCH);
        return new Ledger(pool.players(), inProcess, http, HTTP_BATCH, batches, idleCores);
    }

    /**
     * One HTTP client in a JVM of its own, at each number of clients. The client waits before each load until the
     * projections are at the head and the CPU has been read; after it, the CPU is read again once they have handled
     * the load. The CPU is this JVM's, the service's. {@code batch}: how many matches each request carries.
     */
    private List<LoadResult> httpLoads(String batch, String label) throws Exception {
        long started = System.nanoTime();
        List<CpuSpan> httpSpans = new ArrayList<>();
        CpuMeter.Reading[] httpBefore = new CpuMeter.Reading[1];
        HttpLoadClient.Recorded recorded = client(
                HttpLoadClient.Recorded.class,
                "record",
                () -> {
                    awaitProjections();
                    httpBefore[0] = cpu.read();
                },
                () -> httpSpans.add(untilHead(httpBefore[0])),
                "--paced",
                batch,
                "--clients=" + joined(settings.clients()),
                "--matches=" + settings.matches(),
                "--warmup=" + settings.warmup(),
                "--prefix=pool-",
                "--players=" + pool.players());
        if (httpSpans.size() != recorded.loads().size()) {
            throw new IllegalStateException("the HTTP client reported "
                    + recorded.loads().size() + " loads and " + httpSpans.size() + " load ends");
        }
        List<LoadResult> http = new ArrayList<>();
        for (int level = 0; level < httpSpans.size(); level++) {
            LoadResult load = recorded.loads().get(level);
            http.add(load.withCpu(httpSpans.get(level).cost(cpu, load)));
        }
        progress.step(
                database.name(),
                "ledger, HTTP from another JVM, " + label + ": "
                        + http.stream().map(load -> load.describe("matches")).collect(Collectors.joining("; ")),
                seconds(started));
        return http;
    }

    /** CPU readings around one load: before it, at its last answer, and once the projections had handled it. */
    private record CpuSpan(
            CpuMeter.Reading before, CpuMeter.Reading end, CpuMeter.Reading after, double catchUpSeconds) {

        LoadResult.Cpu cost(CpuMeter meter, LoadResult load) {
            long matches = load.operations() - load.errors();
            return new LoadResult.Cpu(
                    CpuMeter.processUsPer(before, after, matches),
                    CpuMeter.processUsPer(before, end, matches),
                    meter.postgresUsPer(before, after, matches),
                    catchUpSeconds);
        }
    }

    /** Called at a load's last answer: reads the CPU, waits for the projections to handle the load, reads again. */
    private CpuSpan untilHead(CpuMeter.Reading before) {
        CpuMeter.Reading end = cpu.read();
        long started = System.nanoTime();
        awaitProjections();
        double catchUp = seconds(started);
        return new CpuSpan(before, end, cpu.read(), catchUp);
    }

    /** Until every projection has handled every event in the store. */
    private void awaitProjections() {
        awaitHead(
                streamingProcessors().values(),
                count("select coalesce(max(global_index), 0) from domain_event_entry"),
                "projections");
    }

    /** The way the web records a match: through the group commit, answered once its group has committed. */
    private void recordMatch(String matchId, int i) throws Exception {
        groups.record(new RecordMatchCommand(matchId, pool.winner(i), pool.loser(i), Outcome.WIN, null), Map.of())
                .get();
    }

    // ---- baselines ---------------------------------------------------------------------------------------------

    private BaselineLoads baselines() throws SQLException {
        String name = database.name();
        // The events of a match as stored: two MatchRecorded and a MatchSettled, payload and metadata.
        Map<String, Object> sizes = jdbc.queryForMap(
                "select avg(octet_length(payload)) as payload, avg(octet_length(meta_data)) as metadata "
                        + "from domain_event_entry where payload_type like '%MatchRecorded' "
                        + "or payload_type like '%MatchSettled'");
        int payloadBytes = (int) Math.round(number(sizes.get("payload")));
        int metadataBytes = (int) Math.round(number(sizes.get("metadata")));
        Baselines baselines = new Baselines(service.bean(DataSource.class), pool, payloadBytes, metadataBytes);
        baselines.prepare();

        List<LoadResult> atomic = new ArrayList<>();
        List<LoadResult> withMatch = new ArrayList<>();
        List<LoadResult> append = new ArrayList<>();
        List<LoadResult> crud = new ArrayList<>();
        // A warm-up of each, so that no baseline pays for the JIT or the statement caches more than the ledger did.
        baselines.atomicUpdates(Math.min(8, settings.mostClients()), settings.warmup());
        int matches = settings.matches();
        for (int clients : settings.clients()) {
            atomic.add(baselineStep("(a) 2 atomic updates", () -> baselines.atomicUpdates(clients, matches)));
        }
        for (int clients : settings.clients()) {
            withMatch.add(
                    baselineStep("(b) match row + 2 updates", () -> baselines.matchWithUpdates(clients, matches)));
        }
        for (int clients : settings.clients()) {
            append.add(baselineStep(
                    String.format(Locale.ROOT, "(c) raw append of 2 x %d+%d bytes", payloadBytes, metadataBytes),
                    () -> baselines.rawAppend(clients, matches)));
        }
        // Its own warm-up: its statements differ from (a)'s, and (d) is the baseline the ledger is judged against.
        baselines.crudLedger(Math.min(8, settings.mostClients()), settings.warmup(), "d-warm-");
        for (int clients : settings.clients()) {
            crud.add(baselineStep(
                    "(d) CRUD ledger: match, 2 history rows, 2 standings",
                    () -> baselines.crudLedger(clients, matches)));
        }
        return new BaselineLoads(payloadBytes, metadataBytes, baselines.blobType(), atomic, withMatch, append, crud);
    }

    /** One baseline load, with the CPU it took (nothing runs after it: no projections). */
    private LoadResult baselineStep(String what, Supplier<LoadResult> run) {
        CpuMeter.Reading before = cpu.read();
        LoadResult load = run.get();
        CpuMeter.Reading after = cpu.read();
        load = load.withCpu(new CpuSpan(before, after, after, 0).cost(cpu, load));
        progress.step(database.name(), "baseline " + what + ", " + load.describe("matches"), load.seconds());
        return load;
    }

    private static List<Ratios> ratios(Ledger ledger, BaselineLoads baselines) {
        List<Ratios> ratios = new ArrayList<>();
        for (int level = 0; level < ledger.inProcess().size(); level++) {
            double inProcess = ledger.inProcess().get(level).perSecond();
            double http =
                    level < ledger.http().size() ? ledger.http().get(level).perSecond() : 0;
            ratios.add(new Ratios(
                    ledger.inProcess().get(level).clients(),
                    ratio(inProcess, baselines.atomicUpdates().get(level).perSecond()),
                    ratio(inProcess, baselines.matchWithUpdates().get(level).perSecond()),
                    ratio(inProcess, baselines.rawAppend().get(level).perSecond()),
                    ratio(inProcess, baselines.crudLedger().get(level).perSecond()),
                    ratio(http, baselines.rawAppend().get(level).perSecond()),
                    ratio(http, baselines.crudLedger().get(level).perSecond())));
        }
        return ratios;
    }

    // ---- seeding and replay ------------------------------------------------------------------------------------

    private LedgerSeed.Seeded seed() {
        String name = database.name();
        seededFrom = Instant.now();
        // Stopped while the store fills: they would compete with the seeding for the two cores, and the replay below
        // must not find the standings half rebuilt already.
        streamingProcessors().values().forEach(ProcessorShutdown::shutDown);
        progress.begin(
                name,
                String.format(
                        Locale.ROOT,
                        "seeding %,d players, histories %s and matches up to %,d " + "events",
                        settings.readPlayers(),
                        settings.historySizes(),
                        settings.replayEvents()));
        LedgerSeed seed = new LedgerSeed(
                service.bean(EventStorageEngine.class),
                service.bean(TransactionTemplate.class),
                service.bean(PersonalData.class),
                settings.seedBatch(),
                progress,
                name);
        LedgerSeed.Seeded seeded = seed.seed(settings.readPlayers(), settings.historySizes(), settings.replayEvents());
        progress.step(
                name,
                String.format(
                        Locale.ROOT,
                        "seeded %,d events, %,.0f events/s",
                        seeded.events(),
                        seeded.events() / seeded.seconds()),
                seeded.seconds());
        // The seed went around the event store, which a service only sees that way when its store was restored from
        // a backup: restart it, as one would then. A running store would also see the million events for the first
        // time when a processor next tails it, and read them all into its cache of recent events at once.
        service.restart();
        commands = service.bean(CommandGateway.class);
        groups = service.bean(GroupCommit.class);
        jdbc = service.bean(JdbcTemplate.class);
        // The processors start with the service; the replay below is measured alone. Stopped a moment after they
        // started, Axon's own shutDown() could leave one without a thread for good: ProcessorShutdown gives it back.
        streamingProcessors().values().forEach(ProcessorShutdown::shutDown);
        return seeded;
    }

    private Replay replay(LedgerSeed.Seeded seeded) {
        String name = database.name();
        long events = count("select count(*) from domain_event_entry");
        long head = count("select coalesce(max(global_index), 0) from domain_event_entry");
        // What POST /api/admin/projections/{name}/rebuild does, for each projection in turn, the processors stopped
        // so that each rebuild is measured alone: beside the live model, swapped in when caught up.
        Map<String, Double> rates = new LinkedHashMap<>();
        double[] firstBatch = {-1};
        double standingsSeconds = 0;
        double othersSeconds = 0;
        for (String projection : List.of(StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME)) {
            progress.begin(name, String.format(Locale.ROOT, "rebuilding %s from %,d events", projection, events));
            CpuMeter.Reading cpuBefore = cpu.read();
            double seconds = rebuild(projection, head, firstBatch);
            CpuMeter.Reading cpuAfter = cpu.read();
            Double postgresUs = cpu.postgresUsPer(cpuBefore, cpuAfter, events);
            progress.note(
                    name,
                    String.format(
                            Locale.ROOT,
                            "%s rebuild CPU: %.2f us per event in the service%s",
                            projection,
                            CpuMeter.processUsPer(cpuBefore, cpuAfter, events),
                            postgresUs == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, ", %.2f in PostgreSQL (all its processes)", postgresUs)),
                    true);
            rates.put(projection, events / seconds);
            if (projection.equals(StandingsProjection.NAME)) {
                standingsSeconds = seconds;
            } else {
                othersSeconds += seconds;
            }
            progress.step(
                    name,
                    String.format(
                            Locale.ROOT,
                            "%s rebuilt: %,d events, %,.0f events/s",
                            projection,
                            events,
                            events / seconds),
                    seconds);
        }
        streamingProcessors().values().stream().filter(p -> !p.isRunning()).forEach(StreamingEventProcessor::start);
        awaitHead(streamingProcessors().values(), head, "projections");
        return new Replay(
                events,
                seeded.seconds(),
                seeded.events() / seeded.seconds(),
                Math.max(firstBatch[0], 0),
                standingsSeconds,
                events / standingsSeconds,
                othersSeconds,
                rates);
    }

    /** Rebuilds one projection from the first event; the seconds until it was swapped in and stood at the head. */
    private double rebuild(String projection, long head, double[] firstBatch) {
        Projections projections = service.bean(Projections.class);
        // The processor that keeps it: one may keep several read models (issue 25).
        StreamingEventProcessor processor = service.bean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessor(projections.processorOf(projection), StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor runs " + projection));
        long started = System.nanoTime();
        projections.rebuild(projection, "benchmark");
        long deadline = started + TimeUnit.MINUTES.toNanos(settings.quick() ? 3 : 60);
        while (true) {
            ProjectionStatus status = projections.status(projection);
            if (firstBatch[0] < 0 && status.rebuildPosition() > 0) {
                firstBatch[0] = seconds(started);
            }
            if (!status.rebuilding()) {
                // A processor keeping several read models (issue 25) stays where it was (stopped here) while one of
                // them is rebuilt and swapped in: its position says nothing of the rebuild, its error does.
                boolean shared = !processor.getName().equals(projection);
                if (shared
                        ? status.error() != null || status.failingAt() != null
                        : projections.committedPosition(processor.getName()) < head) {
                    throw new IllegalStateException(
                            "the " + projection + " rebuild failed (see the service's log): " + status);
                }
                return seconds(started);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(projection + " rebuild did not reach event " + head + ": " + status);
            }
            progress.note(
                    database.name(),
                    String.format(
                            Locale.ROOT,
                            "%s rebuild at %,d of %,d (%d%%)",
                            projection,
                            status.rebuildPosition(),
                            head,
                            100 * status.rebuildPosition() / Math.max(1, head)),
                    false);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Until every processor has handled every event up to {@code head}, with a note every few seconds. */
    private void awaitHead(Collection<StreamingEventProcessor> processors, long head, String what) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(settings.quick() ? 3 : 60);
        while (true) {
            long position =
                    processors.stream().mapToLong(DatabaseRun::position).min().orElse(head);
            if (position >= head) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not reach event " + head + ": "
                        + processors.stream()
                                .filter(p -> position(p) < head)
                                .map(DatabaseRun::describe)
                                .toList());
            }
            progress.note(
                    database.name(),
                    String.format(
                            Locale.ROOT,
                            "%s at %,d of %,d (%d%%)",
                            what,
                            position,
                            head,
                            100 * position / Math.max(1, head)),
                    false);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** What is known of a processor that is behind: enough to tell stopped, failing and starved apart. */
    private static String describe(StreamingEventProcessor processor) {
        String threads = processor instanceof TrackingEventProcessor tracking
                ? ", free threads " + tracking.availableProcessorThreads() + " of " + tracking.maxCapacity()
                : "";
        return processor.getName() + " at " + position(processor) + " (running " + processor.isRunning() + ", error "
                + processor.isError() + ", segments "
                + processor.processingStatus().keySet() + threads + ")";
    }

    /** The lowest position over the processor's segments; -1 while it holds none (just started). */
    private static long position(StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty()) {
            return -1;
        }
        return status.values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(-1))
                .min()
                .orElse(-1);
    }

    private Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> processors = new HashMap<>();
        service.bean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessors()
                .forEach((name, p) -> {
                    if (p instanceof StreamingEventProcessor streaming) {
                        processors.put(name, streaming);
                    }
                });
        return processors;
    }

    private StreamingEventProcessor standings() {
        return service.bean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessorByProcessingGroup(ReadModels.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor runs the standings"));
    }

    // ---- history -----------------------------------------------------------------------------------------------

    private List<History> history() {
        LedgerModule ledgers = service.bean(LedgerModule.class);
        int threshold = Integer.parseInt(service.property("ledger.snapshot-threshold", "250"));
        List<History> results = new ArrayList<>();
        for (int size : settings.historySizes()) {
            long started = System.nanoTime();
            String player = LedgerSeed.historyPlayer(size);
            AtomicInteger played = new AtomicInteger();
            // Seeded straight into the store: this player's ledger has never been loaded, and has no snapshot.
            long first = timeMatch(size, player, played.getAndIncrement());
            Latencies inMemory = new Latencies();
            for (int m = 0; m < settings.historyCommands(); m++) {
                inMemory.record(timeMatch(size, player, played.getAndIncrement()));
            }
            if (size >= threshold) {
                awaitSnapshot(player);
            }
            Latencies evicted = new Latencies();
            for (int m = 0; m < settings.historyCold(); m++) {
                ledgers.playerCache().removeAll();
                evicted.record(timeMatch(size, player, played.getAndIncrement()));
            }
            History history = new History(size, first / 1e6, inMemory.summary(), evicted.summary());
            results.add(history);
            progress.step(
                    database.name(),
                    String.format(
                            Locale.ROOT,
                            "history %,d earlier matches: first %.1f ms; in memory p50 %.2f / p99 %.2f ms; "
                                    + "evicted p50 %.2f / p99 %.2f ms",
                            size,
                            history.firstMs(),
                            history.inMemory().p50Ms(),
                            history.inMemory().p99Ms(),
                            history.evicted().p50Ms(),
                            history.evicted().p99Ms()),
                    seconds(started));
        }
        return results;
    }

    private long timeMatch(int size, String player, int m) {
        String partner = LedgerSeed.sparringPartner(size, m % LedgerSeed.SPARRING_PARTNERS);
        long started = System.nanoTime();
        commands.sendAndWait(new RecordMatchCommand("hist-" + size + "-" + m, player, partner, Outcome.WIN, null));
        return System.nanoTime() - started;
    }

    /** The snapshot the first load scheduled is taken on its own thread; the evicted loads should start from it. */
    private void awaitSnapshot(String player) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline
                && count("select count(*) from snapshot_event_entry where aggregate_identifier = '" + player + "'")
                        == 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    // ---- lag ---------------------------------------------------------------------------------------------------

    private record Acknowledged(String playerId, long expectedPoints, long acknowledgedAt) {}

    /**
     * An open load at a fixed rate: match {@code i} is due at {@code start + i / rate}, whatever happened to the ones
     * before, so a slow answer does not slow the load down as it would in a closed loop. Each match is between two
     * seeded players who play no other match here, so the winner's total in the read model tells exactly when the
     * match is in it; one watcher reads those totals for all matches in flight, a few hundred per query.
     */
    private Lag lag(double bestRate, long[] seededPoints) throws Exception {
        String name = database.name();
        double rate = Math.max(1, settings.lagLoad() * bestRate);
        int matches = (int) Math.max(1, Math.min(settings.readPlayers() / 2, Math.round(rate * settings.lagSeconds())));
        long interval = (long) (1e9 / rate);
        progress.begin(
                name,
                String.format(
                        Locale.ROOT,
                        "lag at %,.0f matches/s (%.0f%% of %,.0f), %,d matches",
                        rate,
                        100 * settings.lagLoad(),
                        bestRate,
                        matches));
        ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Latencies> commandLatencies = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (int t = 0; t < settings.mostClients(); t++) {
            Latencies latencies = new Latencies();
            commandLatencies.add(latencies);
            Thread sender = new Thread(
                    () -> {
                        for (int i = next.getAndIncrement(); i < matches; i = next.getAndIncrement()) {
                            long due = start + i * interval;
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                            String winner = LedgerSeed.readPlayer(2 * i);
                            try {
                                groups.record(
                                                new RecordMatchCommand(
                                                        "lag-" + i,
                                                        winner,
                                                        LedgerSeed.readPlayer(2 * i + 1),
                                                        Outcome.WIN,
                                                        null),
                                                Map.of())
                                        .join();
                                long now = System.nanoTime();
                                latencies.record(now - due);
                                lastAck.accumulateAndGet(now, Math::max);
                                acknowledged.add(new Acknowledged(winner, seededPoints[2 * i] + 3, now));
                            } catch (RuntimeException failure) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, ClosedLoad.describe(failure));
                            }
                        }
                    },
                    "bench-lag-" + t);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }

        Latencies lag = new Latencies();
        Map<String, Acknowledged> inFlight = new HashMap<>();
        long seen = 0;
        long deadline = Long.MAX_VALUE;
        try (Connection connection = service.bean(DataSource.class).getConnection()) {
            while (seen + errors.get() < matches && System.nanoTime() < deadline) {
                for (Acknowledged ack = acknowledged.poll(); ack != null; ack = acknowledged.poll()) {
                    inFlight.put(ack.playerId(), ack);
                }
                if (!inFlight.isEmpty()) {
                    seen += sweep(connection, inFlight, lag);
                }
                // A read every millisecond at most, as a dashboard polling hard would: a watcher that never paused
                // took a core from the projections it measures, and the more they trailed, the more it read.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                boolean allSent = next.get() >= matches && senders.stream().noneMatch(Thread::isAlive);
                if (deadline == Long.MAX_VALUE && allSent) {
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                }
            }
        }
        for (Thread sender : senders) {
            sender.join();
        }
        if (errors.get() > 0) {
            progress.note(name, "lag: " + errors.get() + " matches failed, first: " + firstError.get(), true);
        }
        Latencies commandsAll = new Latencies();
        commandLatencies.forEach(commandsAll::add);
        double achieved = matches / Math.max(1e-9, (lastAck.get() - start) / 1e9);
        Lag result = new Lag(
                rate,
                achieved,
                matches,
                errors.get(),
                matches - errors.get() - seen,
                commandsAll.summary(),
                lag.summary());
        progress.step(
                name,
                String.format(
                        Locale.ROOT,
                        "lag at %,.0f/s (achieved %,.0f/s): p50 %.1f ms, p99 %.1f ms, "
                                + "max %.1f ms; commands p99 %.1f ms",
                        rate,
                        achieved,
                        result.lag().p50Ms(),
                        result.lag().p99Ms(),
                        result.lag().maxMs(),
                        result.commands().p99Ms()),
                (System.nanoTime() - start) / 1e9);
        return result;
    }

    /** One read of the read model for every match in flight; returns how many it found in it. */
    private static int sweep(Connection connection, Map<String, Acknowledged> inFlight, Latencies lag)
            throws SQLException {
        int[] found = {0};
        StandingsReader.read(connection, inFlight.keySet(), (player, points, now) -> {
            Acknowledged ack = inFlight.get(player);
            if (ack != null && points >= ack.expectedPoints()) {
                lag.record(now - ack.acknowledgedAt());
                inFlight.remove(ack.playerId());
                found[0]++;
            }
        });
        return found[0];
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    private Reads reads() throws Exception {
        long started = System.nanoTime();
        HttpLoadClient.Read read = client(
                HttpLoadClient.Read.class,
                "read",
                null,
                null,
                "--clients=1",
                "--requests=" + settings.reads(),
                "--warmup=" + Math.max(10, settings.reads() / 10),
                "--prefix=p-",
                "--players=" + settings.readPlayers());
        requireNoErrors("the leaderboard reads", read.leaderboard());
        requireNoErrors("the player reads", read.player());
        progress.step(
                database.name(),
                String.format(
                        Locale.ROOT,
                        "reads with %,d players: leaderboard p50 %.2f / p99 %.2f ms; player p50 %.2f / p99 %.2f "
                                + "ms",
                        settings.readPlayers(),
                        read.leaderboard().latency().p50Ms(),
                        read.leaderboard().latency().p99Ms(),
                        read.player().latency().p50Ms(),
                        read.player().latency().p99Ms()),
                seconds(started));
        return new Reads(settings.readPlayers(), read.leaderboard(), read.player());
    }

    // ---- seasons -----------------------------------------------------------------------------------------------

    /**
     * The season turns' order: no season (A) and a season running (B), ABBA twice, so a steady drift of the shared
     * machine falls on both alike (the mean position of either is 3.5).
     */
    private static final String SEASON_TURNS = "ABBABAAB";

    /** What {@link #seasonCpu} measured: the loads of either kind, and their threads' CPU per match. */
    private record SeasonCpu(
            List<LoadResult> without,
            List<LoadResult> with,
            Map<String, Double> threadsWithout,
            Map<String, Double> threadsWith) {}

    /**
     * The in-process load at the most clients, in the turns of {@link #SEASON_TURNS}, after a shorter unmeasured turn
     * with a season running, so that its code is compiled before either is measured. A season is defined from now
     * for a B turn and ended early after its load; the next turn waits for its seal, so that no turn pays for an
     * earlier one's.
     */
    private SeasonCpu seasonCpu() throws Exception {
        int clients = settings.mostClients();
        // Ids as short as a schedule's ("weekly-12"): every index entry of a season's rows carries its id, and ids
        // with the run's timestamp in them (27 characters) measured longer rows than a real season has.
        withSeason(
                "week-0",
                () -> seasonTurn("season running (warm-up)", clients, Math.max(100, settings.matches() / 5), "sw-"));
        List<LoadResult> without = new ArrayList<>();
        List<LoadResult> with = new ArrayList<>();
        List<Map<String, Double>> threadsWithout = new ArrayList<>();
        List<Map<String, Double>> threadsWith = new ArrayList<>();
        for (int turn = 0; turn < SEASON_TURNS.length(); turn++) {
            String prefix = "s" + turn + "-";
            if (SEASON_TURNS.charAt(turn) == 'A') {
                SeasonTurn measured = seasonTurn("no season", clients, settings.matches(), prefix);
                without.add(measured.load());
                threadsWithout.add(measured.threads());
            } else {
                SeasonTurn measured = withSeason(
                        "week-" + (turn + 1), () -> seasonTurn("season running", clients, settings.matches(), prefix));
                with.add(measured.load());
                threadsWith.add(measured.threads());
            }
        }
        return new SeasonCpu(without, with, ThreadCpu.mean(threadsWithout), ThreadCpu.mean(threadsWith));
    }

    private record SeasonTurn(LoadResult load, Map<String, Double> threads) {}

    /** Runs {@code turn} in a season defined from now, then ends the season and waits for its seal. */
    private SeasonTurn withSeason(String seasonId, Callable<SeasonTurn> turn) throws Exception {
        Instant start = Instant.now();
        commands.sendAndWait(new DefineSeasonsCommand(List.of(new SeasonWindow(
                seasonId, "Bench " + seasonId, start, start.plus(Duration.ofDays(7)), Duration.ZERO))));
        SeasonTurn measured = turn.call();
        commands.sendAndWait(new EndSeasonCommand(seasonId, "the benchmark's turn is over"));
        long waiting = System.nanoTime();
        // The sealer seals a season once its close is older than the store's commit grace (10 s by default).
        while (count("select count(*) from season where season_id = '" + seasonId + "' and sealed_at is not null")
                == 0) {
            if (seconds(waiting) > 120) {
                throw new IllegalStateException("season " + seasonId + " was not sealed within 120 s of its end");
            }
            Thread.sleep(250);
        }
        return measured;
    }

    private SeasonTurn seasonTurn(String label, int clients, int matches, String prefix) throws Exception {
        awaitProjections();
        CpuMeter.Reading before = cpu.read();
        ThreadCpu.Reading threadsBefore = ThreadCpu.read();
        LoadResult load = ClosedLoad.run(clients, matches, i -> recordMatch(prefix + i, i));
        CpuSpan span = untilHead(before);
        Map<String, Double> threads = ThreadCpu.usPer(threadsBefore, ThreadCpu.read(), load.operations());
        load = load.withCpu(span.cost(cpu, load));
        progress.step(
                database.name(), "seasons, in-process, " + label + ", " + load.describe("matches"), load.seconds());
        return new SeasonTurn(load, threads);
    }

    /**
     * A season holding every seeded match (defined now, from before the seeding: its matches are placed when the
     * definition is processed), then the reads of {@link #reads} and the around-me page within it.
     */
    private Seasons seasonReads(SeasonCpu cpuTurns) throws Exception {
        long started = System.nanoTime();
        String seasonId = "all-seeded";
        Instant end = Instant.now().plus(Duration.ofDays(30));
        commands.sendAndWait(new DefineSeasonsCommand(
                List.of(new SeasonWindow(seasonId, "Bench reads", seededFrom, end, Duration.ZERO))));
        awaitProjections();
        HttpLoadClient.Read read = client(
                HttpLoadClient.Read.class,
                "read",
                null,
                null,
                "--clients=1",
                "--requests=" + settings.reads(),
                "--warmup=" + Math.max(10, settings.reads() / 10),
                "--prefix=p-",
                "--players=" + settings.readPlayers(),
                "--season=" + seasonId);
        requireNoErrors("the season's leaderboard reads", read.leaderboard());
        requireNoErrors("the season's player reads", read.player());
        requireNoErrors("the season's around-me reads", read.around());
        double without = meanCpu(cpuTurns.without());
        double with = meanCpu(cpuTurns.with());
        // The seeded players who played a seeded match; all of them at the default --replay-events.
        int inSeason = (int) count("select count(*) from season_standing where season_id = '" + seasonId + "'");
        progress.step(
                database.name(),
                String.format(
                        Locale.ROOT,
                        "season reads with %,d players in the season: leaderboard p99 %.2f ms, player p99 %.2f ms, "
                                + "around p99 %.2f ms; CPU per match with a season running %.2fx (%.0f vs %.0f us)",
                        inSeason,
                        read.leaderboard().latency().p99Ms(),
                        read.player().latency().p99Ms(),
                        read.around().latency().p99Ms(),
                        with / without,
                        with,
                        without),
                seconds(started));
        return new Seasons(
                SEASON_TURNS,
                cpuTurns.without(),
                cpuTurns.with(),
                with / without,
                cpuTurns.threadsWithout(),
                cpuTurns.threadsWith(),
                inSeason,
                read.leaderboard(),
                read.player(),
                read.around());
    }

    private static double meanCpu(List<LoadResult> loads) {
        return loads.stream()
                .mapToDouble(load -> load.cpu().processUsPerMatch()
                        + (load.cpu().postgresUsPerMatch() == null
                                ? 0
                                : load.cpu().postgresUsPerMatch()))
                .average()
                .orElse(Double.NaN);
    }

    // ---- the HTTP client process -------------------------------------------------------------------------------

    /** {@link ClientJvm#run}, against the service. */
    private <T> T client(Class<T> result, String mode, Runnable onReady, Runnable onDone, String... options)
            throws Exception {
        return ClientJvm.run(service.port(), service.password(), result, mode, onReady, onDone, options);
    }

    // ---- memory ------------------------------------------------------------------------------------------------

    /**
     * The peak RSS (VmHWM) of this JVM, which holds the service, its in-process load and the seeding. Linux lets a
     * process reset its own peak (writing 5 to /proc/self/clear_refs), so each database gets a peak of its own.
     */
    private static void resetPeakMemory() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException unsupported) {
            // Not Linux, or not allowed: the peak then covers the run so far, as memory() says.
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private Memory memory() {
        Map<String, Long> status = procStatus();
        double heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed())
                        .sum()
                / 1048576.0;
        Memory memory = new Memory(
                status.getOrDefault("VmHWM", 0L) / 1024.0,
                status.getOrDefault("VmRSS", 0L) / 1024.0,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                heapPeak,
                "VmHWM of the benchmark JVM (service + in-process load + seeding), reset when "
                        + "this database started; heap peak is the sum of the heap pools' peaks");
        progress.step(
                database.name(),
                String.format(
                        Locale.ROOT,
                        "peak RSS %.0f MB (heap max %.0f MB, heap peak " + "used %.0f MB)",
                        memory.rssPeakMb(),
                        memory.heapMaxMb(),
                        memory.heapPeakUsedMb()),
                0);
        return memory;
    }

    private static Map<String, Long> procStatus() {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2 && (parts[0].equals("VmHWM:") || parts[0].equals("VmRSS:"))) {
                    values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // Reported as 0.
        }
        return values;
    }

    // ---- small things ------------------------------------------------------------------------------------------

    private long count(String sql) {
        Long value = jdbc.queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }

    private static double best(List<LoadResult> loads) {
        return loads.stream().mapToDouble(LoadResult::perSecond).max().orElse(1);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static double ratio(double ledger, double baseline) {
        return baseline == 0 ? 0 : ledger / baseline;
    }

    private static void requireNoErrors(String what, LoadResult load) {
        if (load.errors() > 0) {
            throw new IllegalStateException(
                    what + ": " + load.errors() + " of " + load.operations() + " failed, first: " + load.firstError());
        }
    }

    private static String joined(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
