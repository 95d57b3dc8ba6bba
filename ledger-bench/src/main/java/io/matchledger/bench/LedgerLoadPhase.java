package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.joined;
import static io.matchledger.bench.ServiceUnderTest.requireNoErrors;
import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.Ledger;
import io.matchledger.core.api.RegisterPlayerCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Phase 1, the ledger's throughput: the pool registered and warmed up, the JVM's CPU at rest, then closed loads at
 * each number of clients in-process (through the group commit), over HTTP one match a request, and in batches.
 */
final class LedgerLoadPhase {

    /** Matches per request in the HTTP phase's batches (POST /api/matches/batch). */
    static final int HTTP_BATCH = 100;

    private final ServiceUnderTest sut;

    LedgerLoadPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    Ledger run() throws Exception {
        BenchSettings settings = sut.settings;
        MatchPairs pool = sut.pool;
        CpuMeter cpu = sut.cpu;
        long started = System.nanoTime();
        LoadResult registered = ClosedLoad.run(
                8,
                pool.players(),
                i -> sut.commands().sendAndWait(new RegisterPlayerCommand(pool.player(i), "Pool " + i)));
        requireNoErrors("registering the pool", registered);
        sut.progress.step(
                sut.name, String.format(Locale.ROOT, "registered %,d players", pool.players()), seconds(started));

        started = System.nanoTime();
        LoadResult warmup = ClosedLoad.run(
                Math.min(8, settings.mostClients()), settings.warmup(), i -> sut.recordMatch("warm-" + i, i));
        requireNoErrors("the warm-up", warmup);
        sut.progress.step(
                sut.name, String.format(Locale.ROOT, "warm-up: %,d matches", settings.warmup()), seconds(started));

        // The CPU the JVM spends with nothing to do (timers, pollers, the JIT finishing): part of every load's.
        sut.awaitProjections();
        CpuMeter.Reading restFrom = cpu.read();
        long restStarted = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(settings.quick() ? 300 : 2_000));
        double idleCores =
                (cpu.read().processNanos() - restFrom.processNanos()) / (double) (System.nanoTime() - restStarted);
        sut.progress.note(
                sut.name,
                String.format(Locale.ROOT, "at rest the service's JVM uses %.1f%% of a core", 100 * idleCores),
                true);

        // Each load's CPU is read from a moment the projections have handled every earlier event (the warm-up's, the
        // last load's) until they have handled the load's own: the whole cost of its matches, and nothing else's.
        List<LoadResult> inProcess = new ArrayList<>();
        for (int clients : settings.clients()) {
            sut.awaitProjections();
            CpuMeter.Reading before = cpu.read();
            LoadResult load =
                    ClosedLoad.run(clients, settings.matches(), i -> sut.recordMatch("ip-" + clients + "-" + i, i));
            load = load.withCpu(sut.untilHead(before).cost(cpu, load));
            inProcess.add(load);
            sut.progress.step(sut.name, "ledger, in-process, " + load.describe("matches"), load.seconds());
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
        BenchSettings settings = sut.settings;
        long started = System.nanoTime();
        List<CpuSpan> httpSpans = new ArrayList<>();
        CpuMeter.Reading[] httpBefore = new CpuMeter.Reading[1];
        HttpLoadClient.Recorded recorded = sut.client(
                HttpLoadClient.Recorded.class,
                "record",
                () -> {
                    sut.awaitProjections();
                    httpBefore[0] = sut.cpu.read();
                },
                () -> httpSpans.add(sut.untilHead(httpBefore[0])),
                "--paced",
                batch,
                "--clients=" + joined(settings.clients()),
                "--matches=" + settings.matches(),
                "--warmup=" + settings.warmup(),
                "--prefix=pool-",
                "--players=" + sut.pool.players());
        if (httpSpans.size() != recorded.loads().size()) {
            throw new IllegalStateException("the HTTP client reported "
                    + recorded.loads().size() + " loads and " + httpSpans.size() + " load ends");
        }
        List<LoadResult> http = new ArrayList<>();
        for (int level = 0; level < httpSpans.size(); level++) {
            LoadResult load = recorded.loads().get(level);
            http.add(load.withCpu(httpSpans.get(level).cost(sut.cpu, load)));
        }
        sut.progress.step(
                sut.name,
                "ledger, HTTP from another JVM, " + label + ": "
                        + http.stream().map(load -> load.describe("matches")).collect(Collectors.joining("; ")),
                seconds(started));
        return http;
    }
}
