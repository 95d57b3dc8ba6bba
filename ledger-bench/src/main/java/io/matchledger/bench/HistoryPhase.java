package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.History;
import io.matchledger.core.LedgerModule;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Phase 4, a long history: for each seeded history size, the first match of a player whose ledger was never loaded,
 * then matches with the ledger in memory, then with every ledger evicted (from the snapshot, where there is one).
 */
final class HistoryPhase {

    private final ServiceUnderTest sut;

    HistoryPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    List<History> run() {
        BenchSettings settings = sut.settings;
        LedgerModule ledgers = sut.service.bean(LedgerModule.class);
        int threshold = Integer.parseInt(sut.service.property("ledger.snapshot-threshold", "250"));
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
            sut.progress.step(
                    sut.name,
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
        sut.commands()
                .sendAndWait(new RecordMatchCommand("hist-" + size + "-" + m, player, partner, Outcome.WIN, null));
        return System.nanoTime() - started;
    }

    /** The snapshot the first load scheduled is taken on its own thread; the evicted loads should start from it. */
    private void awaitSnapshot(String player) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline
                && sut.count("select count(*) from snapshot_event_entry where aggregate_identifier = '" + player + "'")
                        == 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
