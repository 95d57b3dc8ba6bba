package io.matchledger.bench;

import io.matchledger.bench.BenchReport.Lag;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Phase 5, the read models' lag: an open load at a fixed rate: match {@code i} is due at {@code start + i / rate},
 * whatever happened to the ones before, so a slow answer does not slow the load down as it would in a closed loop.
 * Each match is between two seeded players who play no other match here, so the winner's total in the read model
 * tells exactly when the match is in it; one watcher reads those totals for all matches in flight, a few hundred per
 * query.
 */
final class LagPhase {

    private record Acknowledged(String playerId, long expectedPoints, long acknowledgedAt) {}

    private final ServiceUnderTest sut;

    LagPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    /** At {@code --lag-load} of {@code bestRate}, on the seeded players whose points were {@code seededPoints}. */
    Lag run(double bestRate, long[] seededPoints) throws Exception {
        BenchSettings settings = sut.settings;
        String name = sut.name;
        double rate = Math.max(1, settings.lagLoad() * bestRate);
        int matches = (int) Math.max(1, Math.min(settings.readPlayers() / 2, Math.round(rate * settings.lagSeconds())));
        long interval = (long) (1e9 / rate);
        sut.progress.begin(
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
                                sut.groups()
                                        .record(
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
        try (Connection connection = sut.service.bean(DataSource.class).getConnection()) {
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
            sut.progress.note(name, "lag: " + errors.get() + " matches failed, first: " + firstError.get(), true);
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
        sut.progress.step(
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
}
