package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.seconds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.matchledger.bench.BenchReport.Processes;
import io.matchledger.bench.BenchReport.ProcessesLoad;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarFile;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Issue 25's scale-out on PostgreSQL: one packaged ledger process (the jar ledger-api builds), then a second on the
 * same database, sharing the read models' four segments. Each is loaded over HTTP by the same closed load, its
 * matches spread over the processes; for each it reports the matches/s acknowledged, how fast the read side applied
 * the load's events (from the load's start until every match is in the read models, and the backlog left at its last
 * answer drained), the segments each process held, and per match: each process's CPU, PostgreSQL's, the WAL written,
 * the transactions, rows written and index scans. Both measure after a rest that also gives the processes' idle cost.
 */
final class ProcessesPhase {

    /** Progress lines: the first process up, the pool, the second up, and a load on each. */
    static final int STEPS = 3 + 2 * ProcessLoad.STEPS;

    /** The read models' segments (application-postgres.yml's initial-segment-count). */
    static final int SEGMENTS = 4;

    private final BenchSettings settings;
    private final Progress progress;
    private final LedgerService.Database database;
    private final String runId;
    private final Path workDir;

    ProcessesPhase(
            BenchSettings settings, Progress progress, LedgerService.Database database, String runId, Path workDir) {
        this.settings = settings;
        this.progress = progress;
        this.database = database;
        this.runId = runId;
        this.workDir = workDir;
    }

    /** Null when there is no packaged jar to start (a note says so). */
    Processes run() throws Exception {
        Path jar = packagedJar();
        if (jar == null) {
            progress.note(database.name(), "two processes: no packaged ledger-api jar found; skipped", true);
            return null;
        }
        String schema = "ledger_bench_" + runId + "_procs";
        LedgerService.createSchema(database, schema);
        String url = database.url() + (database.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        DatabaseCounters counters = new DatabaseCounters(database.url(), database.user(), database.password(), schema);
        CpuMeter cpu = CpuMeter.forDatabase(database);
        String password = Long.toHexString(Double.doubleToLongBits(Math.random())) + runId;
        List<String> args = List.of(
                "--spring.profiles.active=bench,postgres",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--ledger.security.accounts[0].name=" + LedgerService.USER,
                "--ledger.security.accounts[0].password-hash={bcrypt}" + new BCryptPasswordEncoder(4).encode(password),
                "--ledger.security.accounts[0].roles=ADMIN");
        Path logs = Files.createDirectories(workDir.resolve("processes-" + runId));
        List<PackagedProcess> processes = new ArrayList<>();
        MatchPairs pool = new MatchPairs("proc-", settings.players());
        ProcessLoad loads = new ProcessLoad(settings, progress, database.name(), counters, cpu, pool);
        try {
            long started = System.nanoTime();
            processes.add(
                    PackagedProcess.start("ledger-1", jar, args, password, logs).awaitHealthy(Duration.ofMinutes(10)));
            progress.step(database.name(), "two processes: ledger-1 up from " + jar.getFileName(), seconds(started));
            loads.register(processes.get(0));
            ProcessesLoad one = loads.measure(processes);

            started = System.nanoTime();
            processes.add(
                    PackagedProcess.start("ledger-2", jar, args, password, logs).awaitHealthy(Duration.ofMinutes(10)));
            String spread = awaitSpread(counters, processes);
            progress.step(database.name(), "two processes: ledger-2 up; " + spread, seconds(started));
            ProcessesLoad two = loads.measure(processes);
            return new Processes(
                    jar.getFileName().toString(),
                    SEGMENTS,
                    settings.mostClients(),
                    List.of(one, two),
                    two.load().perSecond() / Math.max(1e-9, one.load().perSecond()),
                    two.appliedEventsPerSecond() / Math.max(1e-9, one.appliedEventsPerSecond()),
                    "matches spread round-robin over the processes by one closed load of " + settings.mostClients()
                            + " clients in the benchmark's JVM; WAL is the whole server's (see otherTransactions);"
                            + " logs in " + logs);
        } finally {
            for (PackagedProcess process : processes) {
                process.close();
            }
            if (!settings.keepData()) {
                LedgerService.dropSchema(database, schema);
            }
        }
    }

    /** Until the read models' segments are held by more than one process (at most two minutes); what was seen. */
    private static String awaitSpread(DatabaseCounters counters, List<PackagedProcess> processes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Map<Integer, String> owners = counters.readModelOwners();
        while (System.nanoTime() < deadline && !everyProcessHoldsOne(owners, processes)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            owners = counters.readModelOwners();
        }
        Map<String, List<Integer>> held = new LinkedHashMap<>();
        for (PackagedProcess process : processes) {
            held.put(process.name(), DatabaseCounters.segmentsOf(owners, process.pid()));
        }
        return "segments held " + held;
    }

    private static boolean everyProcessHoldsOne(Map<Integer, String> owners, List<PackagedProcess> processes) {
        return processes.stream()
                .noneMatch(p -> DatabaseCounters.segmentsOf(owners, p.pid()).isEmpty());
    }

    /**
     * The packaged service: {@code -Dledger.jar} (none, and the phase is skipped, when it names no executable jar),
     * else the ledger-api jar on this JVM's class path when it is the executable one, else in the lib directory
     * beside the benchmark's jar (ledger-bench/target/lib), else ledger-api/target/ledger-api-*.jar below the working
     * directory or its parent.
     */
    static Path packagedJar() {
        String given = System.getProperty("ledger.jar");
        if (given != null) {
            // Anything but an executable jar (-Dledger.jar=none) skips the phase.
            return executable(Path.of(given)) ? Path.of(given) : null;
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.getFileName() != null
                    && path.getFileName().toString().matches("ledger-api-.*\\.jar")
                    && executable(path)) {
                return path;
            }
        }
        List<Path> places = new ArrayList<>();
        try {
            Path benchJar = Path.of(ProcessesPhase.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (benchJar.getParent() != null) {
                places.add(benchJar.getParent().resolve("lib"));
            }
        } catch (java.net.URISyntaxException | RuntimeException unknown) {
            // only the places below
        }
        places.add(Path.of("ledger-api", "target"));
        places.add(Path.of("..", "ledger-api", "target"));
        for (Path target : places) {
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    Path found = files.filter(p -> p.getFileName().toString().matches("ledger-api-.*\\.jar"))
                            .filter(ProcessesPhase::executable)
                            .findFirst()
                            .orElse(null);
                    if (found != null) {
                        return found;
                    }
                } catch (IOException unreadable) {
                    // try the next
                }
            }
        }
        return null;
    }

    private static boolean executable(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }

    /**
     * This phase alone, on the PostgreSQL of LEDGER_BENCH_PG_URL/_USER/_PASSWORD, with the benchmark's options
     * (--players, --matches, --warmup, --clients: the most of them, --output-dir, --keep-data); writes
     * processes-&lt;time&gt;.json.
     */
    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args, Path.of("ledger-bench", "target"));
        String url = System.getenv(LedgerBenchmark.PG_URL);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(LedgerBenchmark.PG_URL + " is not set");
        }
        LedgerService.Database database = new LedgerService.Database(
                "postgresql", url, System.getenv(LedgerBenchmark.PG_USER), System.getenv(LedgerBenchmark.PG_PASSWORD));
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT));
        Files.createDirectories(settings.outputDir());
        Processes processes = new ProcessesPhase(
                        settings, new Progress(System.out, STEPS), database, runId, settings.outputDir())
                .run();
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = settings.outputDir().resolve("processes-" + runId + ".json");
        json.writeValue(file.toFile(), processes);
        System.out.println(json.writeValueAsString(processes));
        System.out.println("written " + file.toAbsolutePath());
        System.exit(0);
    }
}
