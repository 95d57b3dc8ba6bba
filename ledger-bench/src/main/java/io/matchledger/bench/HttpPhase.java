package io.matchledger.bench;

import io.matchledger.bench.BenchReport.HttpBaselines;
import io.matchledger.bench.BenchReport.HttpRatio;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Baseline (e) and the HTTP ceiling (issue 25), both loaded by the same client JVM ({@link HttpLoadClient}) the
 * ledger's HTTP loads use, at 8 and 32 clients, closed loops of {@code --matches} requests after {@code --warmup}:
 * <ul>
 *   <li>(e): {@link CrudHttpBaseline}, (d)'s transaction behind a minimal Spring MVC endpoint, started here;</li>
 *   <li>the ceiling: {@code GET /actuator/health} of the service, what the same client, HTTP stack and security
 *       give with (almost) nothing behind them on this machine.</li>
 * </ul>
 * CPU per request is this JVM's (the service's, or (e)'s, which runs here too) from the client's ready to its done
 * line, plus the PostgreSQL server's where the meter reads it; the client's own CPU is in its JVM and not counted.
 */
final class HttpPhase {

    static final List<Integer> CLIENTS = List.of(8, 32);

    private final BenchSettings settings;
    private final Progress progress;
    private final String database;
    private final CpuMeter cpu;

    HttpPhase(BenchSettings settings, Progress progress, String database, CpuMeter cpu) {
        this.settings = settings;
        this.progress = progress;
        this.database = database;
        this.cpu = cpu;
    }

    /** Progress lines: (e), and the ceiling. */
    static int steps() {
        return 2;
    }

    /**
     * {@code crud}: (d)'s tables, ready; {@code pool}: the players they hold; {@code ledgerHttp}: the ledger's HTTP
     * single-request loads of phase 1, whose rates the ratios divide.
     */
    HttpBaselines run(Baselines crud, MatchPairs pool, int servicePort, String password, List<LoadResult> ledgerHttp)
            throws Exception {
        long started = System.nanoTime();
        List<LoadResult> crudOverHttp;
        try (CrudHttpBaseline baseline = CrudHttpBaseline.start(crud, password)) {
            crudOverHttp = paced(
                    baseline.port(),
                    password,
                    "record",
                    "--prefix=" + pool.prefix(),
                    "--players=" + pool.players(),
                    "--matches=" + settings.matches(),
                    "--warmup=" + settings.warmup());
        }
        progress.step(
                database,
                "baseline (e) (d) over HTTP: " + describe(crudOverHttp, "matches"),
                (System.nanoTime() - started) / 1e9);

        started = System.nanoTime();
        List<LoadResult> health = paced(
                servicePort,
                password,
                "get",
                "--path=/actuator/health",
                "--requests=" + settings.matches(),
                "--warmup=" + settings.warmup());
        progress.step(
                database,
                "HTTP ceiling, GET /actuator/health of the service: " + describe(health, "requests"),
                (System.nanoTime() - started) / 1e9);

        List<HttpRatio> ratios = new ArrayList<>();
        for (int level = 0; level < CLIENTS.size(); level++) {
            int clients = CLIENTS.get(level);
            double ledger = ledgerHttp.stream()
                    .filter(load -> load.clients() == clients)
                    .mapToDouble(LoadResult::perSecond)
                    .findFirst()
                    .orElse(0);
            double e = crudOverHttp.get(level).perSecond();
            double ceiling = health.get(level).perSecond();
            ratios.add(new HttpRatio(
                    clients, ledger, e, ceiling, ratio(ledger, e), ratio(ledger, ceiling), ratio(e, ceiling)));
        }
        return new HttpBaselines(crudOverHttp, health, ratios);
    }

    /** One client JVM, a load per number of {@link #CLIENTS}, the CPU read around each. */
    private List<LoadResult> paced(int port, String password, String mode, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of(
                "--paced", "--clients=" + CLIENTS.stream().map(String::valueOf).collect(Collectors.joining(","))));
        all.addAll(List.of(options));
        List<CpuMeter.Reading[]> spans = new ArrayList<>();
        HttpLoadClient.Recorded recorded = ClientJvm.run(
                port,
                password,
                HttpLoadClient.Recorded.class,
                mode,
                () -> spans.add(new CpuMeter.Reading[] {cpu.read(), null}),
                () -> spans.get(spans.size() - 1)[1] = cpu.read(),
                all.toArray(String[]::new));
        if (spans.size() != recorded.loads().size()) {
            throw new IllegalStateException(
                    "the HTTP client reported " + recorded.loads().size() + " loads and " + spans.size() + " starts");
        }
        List<LoadResult> loads = new ArrayList<>();
        for (int level = 0; level < spans.size(); level++) {
            LoadResult load = recorded.loads().get(level);
            if (load.errors() > 0) {
                throw new IllegalStateException(mode + " over HTTP: " + load.errors() + " of " + load.operations()
                        + " failed, first: " + load.firstError());
            }
            CpuMeter.Reading before = spans.get(level)[0];
            CpuMeter.Reading after = spans.get(level)[1];
            long operations = load.operations();
            double us = CpuMeter.processUsPer(before, after, operations);
            loads.add(load.withCpu(new LoadResult.Cpu(us, us, cpu.postgresUsPer(before, after, operations), 0)));
        }
        return loads;
    }

    private static String describe(List<LoadResult> loads, String unit) {
        return loads.stream().map(load -> load.describe(unit)).collect(Collectors.joining("; "));
    }

    private static double ratio(double value, double baseline) {
        return baseline == 0 ? 0 : value / baseline;
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }
}
