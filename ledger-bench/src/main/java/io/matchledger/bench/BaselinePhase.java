package io.matchledger.bench;

import io.matchledger.bench.BenchReport.BaselineLoads;
import io.matchledger.bench.BenchReport.Ledger;
import io.matchledger.bench.BenchReport.Ratios;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Phase 2, the baselines (a) to (d) of {@link Baselines} on the same database and pool, their events sized after the
 * ledger's own as phase 1 stored them; and the ledger's ratios to each.
 */
final class BaselinePhase {

    private final ServiceUnderTest sut;

    BaselinePhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    BaselineLoads run() throws SQLException {
        BenchSettings settings = sut.settings;
        // The events of a match as stored: two MatchRecorded and a MatchSettled, payload and metadata.
        Map<String, Object> sizes = sut.jdbc()
                .queryForMap("select avg(octet_length(payload)) as payload, avg(octet_length(meta_data)) as metadata "
                        + "from domain_event_entry where payload_type like '%MatchRecorded' "
                        + "or payload_type like '%MatchSettled'");
        int payloadBytes = (int) Math.round(number(sizes.get("payload")));
        int metadataBytes = (int) Math.round(number(sizes.get("metadata")));
        Baselines baselines = new Baselines(sut.service.bean(DataSource.class), sut.pool, payloadBytes, metadataBytes);
        baselines.prepare();

        List<LoadResult> atomic = new ArrayList<>();
        List<LoadResult> withMatch = new ArrayList<>();
        List<LoadResult> append = new ArrayList<>();
        List<LoadResult> crud = new ArrayList<>();
        // A warm-up of each, so that no baseline pays for the JIT or the statement caches more than the ledger did.
        baselines.atomicUpdates(Math.min(8, settings.mostClients()), settings.warmup());
        int matches = settings.matches();
        for (int clients : settings.clients()) {
            atomic.add(step("(a) 2 atomic updates", () -> baselines.atomicUpdates(clients, matches)));
        }
        for (int clients : settings.clients()) {
            withMatch.add(step("(b) match row + 2 updates", () -> baselines.matchWithUpdates(clients, matches)));
        }
        for (int clients : settings.clients()) {
            append.add(step(
                    String.format(Locale.ROOT, "(c) raw append of 2 x %d+%d bytes", payloadBytes, metadataBytes),
                    () -> baselines.rawAppend(clients, matches)));
        }
        // Its own warm-up: its statements differ from (a)'s, and (d) is the baseline the ledger is judged against.
        baselines.crudLedger(Math.min(8, settings.mostClients()), settings.warmup(), "d-warm-");
        for (int clients : settings.clients()) {
            crud.add(step(
                    "(d) CRUD ledger: match, 2 history rows, 2 standings",
                    () -> baselines.crudLedger(clients, matches)));
        }
        return new BaselineLoads(payloadBytes, metadataBytes, baselines.blobType(), atomic, withMatch, append, crud);
    }

    /** One baseline load, with the CPU it took (nothing runs after it: no projections). */
    private LoadResult step(String what, Supplier<LoadResult> run) {
        CpuMeter.Reading before = sut.cpu.read();
        LoadResult load = run.get();
        CpuMeter.Reading after = sut.cpu.read();
        load = load.withCpu(new CpuSpan(before, after, after, 0).cost(sut.cpu, load));
        sut.progress.step(sut.name, "baseline " + what + ", " + load.describe("matches"), load.seconds());
        return load;
    }

    /** The ledger's rates over each baseline's, at each number of clients. */
    static List<Ratios> ratios(Ledger ledger, BaselineLoads baselines) {
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

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static double ratio(double ledger, double baseline) {
        return baseline == 0 ? 0 : ledger / baseline;
    }
}
