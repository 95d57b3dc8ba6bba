package io.matchledger.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * An open load at a fixed rate, as the lag phase sends it: match {@code i} is due at {@code start + i / rate},
 * whatever happened to the ones before, so a slow answer does not slow the load down as it would in a closed loop;
 * a command's latency runs from its due time, so a sender that fell behind counts the wait too.
 * <p>
 * With a {@link DataSource} to watch, each acknowledged match names its winner and the winner's total right after it
 * (from the ledger's answer); the read model shows the match once the winner's {@code player_standing.points} reaches
 * that total (a win adds 3 and nothing in the benchmark takes points away, and a player's events are applied in order,
 * so no other match can bring the row there first). One watcher reads those rows for all matches in flight, at most
 * once a millisecond, as the lag phase does.
 */
final class OpenLoop {

    /** One match, sent at its due time; returns the winner and their total after it, or null when not watched. */
    @FunctionalInterface
    interface Send {
        Shown perform(int index) throws Exception;
    }

    /** What the read model must show for a match: the winner's total after it. */
    record Shown(String playerId, long totalAfter) {}

    /** What one load did; {@code lag} is null when nothing was watched. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Run(
            double targetRate,
            long matches,
            long errors,
            long unseen,
            double seconds,
            double achievedRate,
            Latencies.LatencySummary commands,
            Latencies.LatencySummary lag,
            String firstError) {}

    private record Acknowledged(String playerId, long totalAfter, long acknowledgedAt) {}

    private OpenLoop() {}

    /**
     * Sends {@code rate * seconds} matches from {@code threads} senders; with {@code watched} not null, watches the
     * read model until every acknowledged match shows or {@code seenWithin} seconds after the last was sent.
     */
    static Run run(double rate, double seconds, int threads, Send send, DataSource watched, double seenWithin)
            throws Exception {
        int matches = (int) Math.max(1, Math.round(rate * seconds));
        long interval = (long) (1e9 / rate);
        ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Latencies> commandLatencies = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int t = 0; t < threads; t++) {
            Latencies latencies = new Latencies();
            commandLatencies.add(latencies);
            Thread sender = new Thread(
                    () -> {
                        for (int i = next.getAndIncrement(); i < matches; i = next.getAndIncrement()) {
                            long due = start + i * interval;
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                            try {
                                Shown shown = send.perform(i);
                                long now = System.nanoTime();
                                latencies.record(now - due);
                                lastAck.accumulateAndGet(now, Math::max);
                                if (watched != null && shown != null) {
                                    acknowledged.add(new Acknowledged(shown.playerId(), shown.totalAfter(), now));
                                }
                            } catch (Exception | AssertionError failure) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, ClosedLoad.describe(failure));
                            }
                        }
                    },
                    "bench-open-" + t);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
        Latencies lag = new Latencies();
        long seen = 0;
        if (watched != null) {
            seen = watch(watched, matches, acknowledged, errors, next, senders, lag, seenWithin);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        Latencies commands = new Latencies();
        commandLatencies.forEach(commands::add);
        double took = Math.max(1e-9, (Math.max(lastAck.get(), start) - start) / 1e9);
        long done = matches - errors.get();
        return new Run(
                rate,
                matches,
                errors.get(),
                watched == null ? 0 : done - seen,
                took,
                done / took,
                commands.summary(),
                watched == null ? null : lag.summary(),
                firstError.get());
    }

    private static long watch(
            DataSource dataSource,
            int matches,
            ConcurrentLinkedQueue<Acknowledged> acknowledged,
            AtomicLong errors,
            AtomicInteger next,
            List<Thread> senders,
            Latencies lag,
            double seenWithin)
            throws SQLException {
        // Several matches in flight may share a winner: each waits for its own total, in the order acknowledged.
        Map<String, Deque<Acknowledged>> inFlight = new HashMap<>();
        long seen = 0;
        long deadline = Long.MAX_VALUE;
        try (Connection connection = dataSource.getConnection()) {
            while (seen + errors.get() < matches && System.nanoTime() < deadline) {
                for (Acknowledged ack = acknowledged.poll(); ack != null; ack = acknowledged.poll()) {
                    inFlight.computeIfAbsent(ack.playerId(), p -> new ArrayDeque<>())
                            .add(ack);
                }
                if (!inFlight.isEmpty()) {
                    seen += sweep(connection, inFlight, lag);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                boolean allSent = next.get() >= matches && senders.stream().noneMatch(Thread::isAlive);
                if (deadline == Long.MAX_VALUE && allSent) {
                    deadline = System.nanoTime() + (long) (seenWithin * 1e9);
                }
            }
        }
        return seen;
    }

    /** One read of the standings for every winner in flight; returns how many matches it found shown. */
    private static int sweep(Connection connection, Map<String, Deque<Acknowledged>> inFlight, Latencies lag)
            throws SQLException {
        int[] found = {0};
        StandingsReader.read(connection, inFlight.keySet(), (player, points, now) -> {
            Deque<Acknowledged> waiting = inFlight.get(player);
            if (waiting == null) {
                return;
            }
            // Concurrent senders may have acknowledged a player's matches out of total order: look at every one
            // still waiting.
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Acknowledged ack = it.next();
                if (points >= ack.totalAfter()) {
                    lag.record(now - ack.acknowledgedAt());
                    it.remove();
                    found[0]++;
                }
            }
            if (waiting.isEmpty()) {
                inFlight.remove(player);
            }
        });
        return found[0];
    }
}
