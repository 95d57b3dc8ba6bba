package io.matchledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.matchledger.bench.BenchReport.DatabaseReport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark of issue 7: the ledger's throughput next to plain-JDBC baselines on the same database, replay, long
 * histories, projection lag and reads, on the embedded H2 and, when it is given, PostgreSQL. Prints progress and a
 * table, and writes {@code benchmark-<timestamp>.json} and {@code benchmark-latest.json} under ledger-bench/target.
 * <pre>
 * ./mvnw -q -pl ledger-bench -am package -DskipTests && java -jar ledger-bench/target/ledger-bench.jar [--quick]
 * </pre>
 * Targets are printed with PASS or MISS; the exit code only says whether every database could be measured.
 */
public final class LedgerBenchmark {

    static final String PG_URL = "LEDGER_BENCH_PG_URL";
    static final String PG_USER = "LEDGER_BENCH_PG_USER";
    static final String PG_PASSWORD = "LEDGER_BENCH_PG_PASSWORD";

    private LedgerBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(BenchSettings.USAGE);
            return;
        }
        if (Arrays.asList(args).contains("--observability")) {
            ObservabilityCost.run(args, defaultOutputDir(), System.out);
            System.exit(0);
        }
        if (Arrays.asList(args).contains("--rebuild-only")) {
            System.exit(rebuildsOnly(args, System.out) ? 0 : 1);
        }
        Path written = run(args, System.out);
        boolean failed = false;
        for (var database : new ObjectMapper().readTree(written.toFile()).path("databases")) {
            failed |= database.path("status").asText().equals("failed");
        }
        // Axon's and H2's threads are stopped with their contexts, but a stray daemon-less pool must not keep a
        // finished benchmark alive.
        System.exit(failed ? 1 : 0);
    }

    /**
     * Only the seeding and the rebuilds (phases 3 and 4), on each database: prints each rebuild's events/s and CPU,
     * and the figures as JSON. Whether every database could be measured.
     */
    static boolean rebuildsOnly(String[] args, PrintStream out) throws Exception {
        BenchSettings settings = BenchSettings.parse(
                Arrays.stream(args).filter(arg -> !arg.equals("--rebuild-only")).toArray(String[]::new),
                defaultOutputDir());
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT));
        List<LedgerService.Database> measured = new ArrayList<>();
        for (String name : settings.databases()) {
            if (name.equals("h2")) {
                measured.add(LedgerService.Database.h2());
            } else if (System.getenv(PG_URL) != null) {
                measured.add(new LedgerService.Database(
                        "postgresql", System.getenv(PG_URL), System.getenv(PG_USER), System.getenv(PG_PASSWORD)));
            }
        }
        Progress progress = new Progress(out, measured.size() * 6);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        boolean measuredAll = true;
        for (LedgerService.Database database : measured) {
            try {
                BenchReport.Replay replay =
                        new DatabaseRun(settings, database, progress, settings.outputDir(), runId).rebuildsOnly();
                out.println(database.name() + " rebuilds: " + json.writeValueAsString(replay));
            } catch (Exception | AssertionError failure) {
                failure.printStackTrace(out);
                measuredAll = false;
            }
        }
        return measuredAll;
    }

    /** Runs the benchmark and returns the JSON file it wrote. */
    static Path run(String[] args, PrintStream out) throws Exception {
        BenchSettings settings = BenchSettings.parse(args, defaultOutputDir());
        Files.createDirectories(settings.outputDir());
        OffsetDateTime startedAt = OffsetDateTime.now();
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT));

        List<LedgerService.Database> measured = new ArrayList<>();
        List<DatabaseReport> reports = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : settings.databases()) {
            switch (name) {
                case "h2" -> measured.add(LedgerService.Database.h2());
                case "postgresql", "postgres" -> {
                    String url = System.getenv(PG_URL);
                    if (url == null || url.isBlank()) {
                        skipped.add("postgresql");
                    } else {
                        measured.add(new LedgerService.Database(
                                "postgresql", url, System.getenv(PG_USER), System.getenv(PG_PASSWORD)));
                    }
                }
                default -> throw new IllegalArgumentException("unknown database " + name + " (h2, postgresql)");
            }
        }
        if (!settings.databases().contains("postgresql")
                && !settings.databases().contains("postgres")) {
            reports.add(DatabaseReport.skipped("postgresql", "not in --databases"));
        }

        Progress progress = new Progress(out, measured.size() * DatabaseRun.steps(settings));
        out.printf(
                Locale.ROOT,
                "Match Ledger benchmark%s: %s; results in %s%n",
                settings.quick() ? " (SMOKE, --quick)" : "",
                measured,
                settings.outputDir().toAbsolutePath());
        for (String name : skipped) {
            out.printf(
                    Locale.ROOT,
                    "%s skipped: set %s, %s and %s to measure it too%n",
                    name,
                    PG_URL,
                    PG_USER,
                    PG_PASSWORD);
        }
        for (LedgerService.Database database : measured) {
            try {
                reports.add(new DatabaseRun(settings, database, progress, settings.outputDir(), runId).run());
            } catch (Exception | AssertionError failure) {
                failure.printStackTrace(out);
                reports.add(DatabaseReport.failed(database.name(), ClosedLoad.describe(failure)));
            }
        }
        for (String name : skipped) {
            reports.add(DatabaseReport.skipped(name, PG_URL + ", " + PG_USER + " and " + PG_PASSWORD + " are not set"));
        }

        BenchReport report = new BenchReport(
                startedAt.toString(), OffsetDateTime.now().toString(), settings.quick(), machine(), settings, reports);
        ReportTable.print(report, out);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = settings.outputDir().resolve("benchmark-" + runId + ".json");
        json.writeValue(file.toFile(), report);
        Files.copy(
                file,
                settings.outputDir().resolve("benchmark-latest.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.printf(Locale.ROOT, "written %s (and benchmark-latest.json beside it)%n", file.toAbsolutePath());
        return file;
    }

    private static BenchReport.Machine machine() {
        return new BenchReport.Machine(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() / 1048576.0,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** ledger-bench/target: beside the jar when run from it, above target/classes when run from a build. */
    private static Path defaultOutputDir() {
        try {
            Path location = Path.of(LedgerBenchmark.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path parent = location.getParent();
            return parent != null ? parent : Path.of("target");
        } catch (URISyntaxException | RuntimeException unknown) {
            return Path.of("target");
        }
    }
}
