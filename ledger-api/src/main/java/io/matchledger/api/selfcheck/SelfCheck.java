package io.matchledger.api.selfcheck;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.projections.ReadModelGate;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.api.ReadModelRepair;
import io.matchledger.projections.lifecycle.Projections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger checks itself (ADR 0022): what {@code GET /api/audit/verify} does, all the time and a little at a time.
 * It follows the store as a processor does (its own token, in memory; the store's gaps, so a late commit reaches it
 * too), sums each player's ledger and notes each match, and compares with the read models every player and match
 * whose events came since the last round, and a slice of all the others. A row is compared only once the read models'
 * processor has committed the event the check saw last for it (its stored tokens commit with the rows), and only at
 * the sequence number the row says it has reached, so that a read model moving meanwhile is never taken for a wrong one.
 * <p>
 * A divergence is counted, logged, shown in the health component {@code selfCheck} (status {@code DIVERGED}), and
 * repaired: a {@link ReadModelRepair} event goes through the store to the processor, which computes the rows again
 * from the ledger's own stream in the segment of the player (or of the ledger-wide events, for a match). It is shown
 * repaired when a later round finds the rows equal.
 */
@Component
@EnableConfigurationProperties(SelfCheckSettings.class)
public class SelfCheck implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SelfCheck.class);
    private static final int CHUNK = 500;
    /** The aggregate type of a player's ledger, as Axon names it after the aggregate's class. */
    private static final String PLAYER_LEDGER = "Player";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EventStore eventStore;
    private final Projections projections;
    private final JdbcTemplate jdbc;
    private final ReadModelGate gate;
    private final EventGateway events;
    private final SelfCheckSettings settings;

    private final Map<String, PlayerFacts> players = new HashMap<>();
    private final Map<String, MatchFacts> matches = new HashMap<>();
    private final List<String> playerOrder = new ArrayList<>();
    private final List<String> matchOrder = new ArrayList<>();
    private final Set<String> duePlayers = new LinkedHashSet<>();
    private final Set<String> dueMatches = new LinkedHashSet<>();
    private int playerSweep;
    private int matchSweep;
    private TrackingToken token;
    private long checkedThrough;

    /** What was found unequal and is not shown repaired yet, by "player:id" or "match:id". */
    private final Map<String, Divergence> unrepaired = new TreeMap<>();

    private final Counter divergences;
    private final Counter repairsSent;
    private final Counter repaired;
    private final AtomicLong eventsRead = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong compared = new AtomicLong();
    private volatile Instant lastRound;
    private volatile Report last = new Report(0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, null, null);
    private volatile String lastFailure;
    private ScheduledExecutorService rounds;

    public SelfCheck(
            EventStore eventStore,
            Projections projections,
            JdbcTemplate jdbc,
            ReadModelGate gate,
            EventGateway events,
            SelfCheckSettings settings,
            MeterRegistry meters) {
        this.eventStore = eventStore;
        this.projections = projections;
        this.jdbc = jdbc;
        this.gate = gate;
        this.events = events;
        this.settings = settings;
        this.divergences = Counter.builder("ledger.self.check.divergences")
                .description("Rows of a read model the self-check found unequal to the events")
                .register(meters);
        this.repairsSent = Counter.builder("ledger.self.check.repairs")
                .description("Repairs the self-check sent to the read models")
                .register(meters);
        this.repaired = Counter.builder("ledger.self.check.repaired")
                .description("Divergences the self-check found repaired")
                .register(meters);
        Gauge.builder("ledger.self.check.unrepaired", this, check -> check.unrepairedCount())
                .description("Players and matches whose read-model rows are unequal to the events now")
                .register(meters);
        FunctionCounter.builder("ledger.self.check.events", eventsRead, AtomicLong::get)
                .description("Events the self-check has read")
                .register(meters);
        FunctionCounter.builder("ledger.self.check.cpu", cpuNanos, nanos -> nanos.get() / 1e9)
                .description("CPU time the self-check's rounds took")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("ledger.self.check.position", this, check -> check.checkedThrough)
                .description("The global index up to which the self-check has read the store")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!settings.enabled()) {
            return;
        }
        rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ledger-self-check");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.interval().toMillis();
        rounds.scheduleWithFixedDelay(this::roundLogged, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        if (rounds != null) {
            rounds.shutdownNow();
        }
    }

    private void roundLogged() {
        try {
            round();
            lastFailure = null;
        } catch (RuntimeException failure) {
            // The database away, a rebuild's swap: the next round goes on from where this one was.
            lastFailure = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            log.debug("A self-check round failed", failure);
        }
    }

    /** One round: read what came, compare what is due. Public for the tests, which run rounds themselves. */
    public synchronized Report round() {
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            read();
            compare();
            lastRound = Instant.now();
            last = picture();
            return last;
        } finally {
            cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    /**
     * Where the check stood after its last round, or the failure of the round since. Never waits: a round waiting
     * for a silent database must not hold up the health check or a scrape.
     */
    public Report report() {
        Report report = last;
        String failure = lastFailure;
        return Objects.equals(failure, report.lastFailure()) ? report : report.failed(failure);
    }

    private Report picture() {
        return new Report(
                checkedThrough,
                eventsRead.get(),
                players.size(),
                matches.size(),
                compared.get(),
                (long) divergences.count(),
                (long) repairsSent.count(),
                (long) repaired.count(),
                List.copyOf(unrepaired.keySet()).subList(0, Math.min(unrepaired.size(), 20)),
                unrepaired.size(),
                lastRound,
                lastFailure);
    }

    private int unrepairedCount() {
        return last.unrepairedCount();
    }

    private void read() {
        int read = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(token)) {
            while (read < settings.eventsPerRound() && stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                long index = indexOf(token, event.trackingToken());
                token = event.trackingToken();
                checkedThrough = Math.max(checkedThrough, token.position().orElse(0));
                note(event, index);
                read++;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        eventsRead.addAndGet(read);
    }

    /**
     * The event's own global index. A token's position is the highest index the stream has reached: for an event that
     * committed late, into a gap, that is not the event's, and the processors' tokens may cover it while the event
     * itself is still a gap of theirs (a row compared then looked missing). The late event's index is the gap its
     * token no longer has.
     */
    static long indexOf(TrackingToken before, TrackingToken after) {
        if (after instanceof GapAwareTrackingToken now) {
            if (before instanceof GapAwareTrackingToken was && now.getIndex() <= was.getIndex()) {
                for (Long gap : was.getGaps()) {
                    if (!now.getGaps().contains(gap)) {
                        return gap;
                    }
                }
            }
            return now.getIndex();
        }
        return after.position().orElse(0);
    }

    private void note(TrackedEventMessage<?> event, long index) {
        Object payload = event.getPayload();
        if (event instanceof DomainEventMessage<?> domain && PLAYER_LEDGER.equals(domain.getType())) {
            String playerId = domain.getAggregateIdentifier();
            PlayerFacts player = players.computeIfAbsent(playerId, id -> {
                playerOrder.add(id);
                return new PlayerFacts();
            });
            // The standing moves with every event of the ledger (a rename, an erasure too); the history with its
            // registration and the events that carry points.
            player.sequence = domain.getSequenceNumber();
            player.lastIndex = index;
            Integer points = points(payload);
            if (points != null || payload instanceof PlayerRegistered) {
                player.historySequence = domain.getSequenceNumber();
            }
            if (points != null) {
                player.points += points;
                player.entries++;
            }
            duePlayers.add(playerId);
        } else if (payload instanceof MatchSettled settled) {
            matches.computeIfAbsent(settled.matchId(), id -> {
                        matchOrder.add(id);
                        return new MatchFacts();
                    })
                    .lastIndex = index;
            dueMatches.add(settled.matchId());
        } else if (payload instanceof SettlementVoided voided && matches.containsKey(voided.matchId())) {
            MatchFacts match = matches.get(voided.matchId());
            match.voided = true;
            match.lastIndex = index;
            dueMatches.add(voided.matchId());
        }
    }

    private static Integer points(Object payload) {
        if (payload instanceof MatchRecorded recorded) {
            return recorded.points();
        }
        if (payload instanceof MatchVoided voided) {
            return voided.points();
        }
        if (payload instanceof PointsAdjusted adjusted) {
            return adjusted.points();
        }
        return null;
    }

    private void compare() {
        sweep(playerOrder, duePlayers, true);
        sweep(matchOrder, dueMatches, false);
        // Before the rows: a row is at least as new as the token that committed with it.
        LongPredicate committed = projections.committedEvents(projections.processorOf(StandingsProjection.NAME));
        List<String> playersNow = duePlayers.stream()
                .filter(id -> committed.test(players.get(id).lastIndex))
                .toList();
        List<String> matchesNow = dueMatches.stream()
                .filter(id -> committed.test(matches.get(id).lastIndex))
                .toList();
        for (List<String> chunk : chunks(playersNow)) {
            comparePlayers(chunk);
        }
        for (List<String> chunk : chunks(matchesNow)) {
            compareMatches(chunk);
        }
        playersNow.forEach(duePlayers::remove);
        matchesNow.forEach(dueMatches::remove);
    }

    /** Adds the next slice of everything known to what is due, round after round. */
    private void sweep(List<String> order, Set<String> due, boolean ofPlayers) {
        if (order.isEmpty()) {
            return;
        }
        int from = ofPlayers ? playerSweep : matchSweep;
        int count = Math.min(settings.sweep(), order.size());
        for (int i = 0; i < count; i++) {
            due.add(order.get((from + i) % order.size()));
        }
        int next = (from + count) % order.size();
        if (ofPlayers) {
            playerSweep = next;
        } else {
            matchSweep = next;
        }
    }

    private void comparePlayers(List<String> ids) {
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<String, long[]> standings = new HashMap<>();
        Map<String, Long> histories = new HashMap<>();
        Map<String, long[]> entries = new HashMap<>();
        gate.read(() -> {
            jdbc.query(
                    "select player_id, points, last_sequence from player_standing where player_id in (" + in + ")",
                    row -> {
                        standings.put(row.getString(1), new long[] {row.getLong(2), row.getLong(3)});
                    },
                    ids.toArray());
            // One statement, so one snapshot: the history's row and its entries as one batch committed them (read
            // apart, a batch committing between the two reads looked like a divergence under load).
            jdbc.query(
                    "select h.player_id, h.last_sequence, count(e.sequence), coalesce(sum(e.points), 0) from "
                            + "player_history h left join ledger_entry e on e.player_id = h.player_id "
                            + "where h.player_id in (" + in + ") group by h.player_id, h.last_sequence",
                    row -> {
                        histories.put(row.getString(1), row.getLong(2));
                        entries.put(row.getString(1), new long[] {row.getLong(3), row.getLong(4)});
                    },
                    ids.toArray());
            return null;
        });
        for (String id : ids) {
            PlayerFacts ledger = players.get(id);
            compared.incrementAndGet();
            long[] standing = standings.get(id);
            String found = null;
            if (standing == null) {
                found = "the standings have no row";
            } else if (standing[1] < ledger.sequence
                    || (standing[1] == ledger.sequence && standing[0] != ledger.points)) {
                found = "the standing holds " + standing[0] + " points at sequence " + standing[1] + ", the ledger "
                        + ledger.points + " at " + ledger.sequence;
            }
            Long history = histories.get(id);
            long[] rows = entries.getOrDefault(id, new long[] {0, 0});
            if (found == null && history == null) {
                found = "the history has no row";
            } else if (found == null
                    && (history < ledger.historySequence
                            || (history == ledger.historySequence
                                    && (rows[0] != ledger.entries || rows[1] != ledger.points)))) {
                found = "the history holds " + rows[0] + " entries of " + rows[1] + " points at sequence " + history
                        + ", the ledger " + ledger.entries + " of " + ledger.points + " at " + ledger.historySequence;
            }
            // A row ahead of the check (a newer event it has not read yet) is compared once it has.
            boolean ahead = (standing != null && standing[1] > ledger.sequence)
                    || (history != null && history > ledger.historySequence);
            if (found != null) {
                String what = found;
                diverged("player:" + id, found, () -> ReadModelRepair.ofPlayer(id, what));
            } else if (!ahead) {
                equal("player:" + id);
            }
        }
    }

    private void compareMatches(List<String> ids) {
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<String, Boolean> rows = new HashMap<>();
        gate.read(() -> {
            jdbc.query(
                    "select match_id, voided from match_record where match_id in (" + in + ")",
                    row -> {
                        rows.put(row.getString(1), row.getBoolean(2));
                    },
                    ids.toArray());
            return null;
        });
        for (String id : ids) {
            MatchFacts ledger = matches.get(id);
            compared.incrementAndGet();
            Boolean voided = rows.get(id);
            String found = voided == null
                    ? "the matches have no row"
                    : voided != ledger.voided
                            ? "the match's row says voided=" + voided + ", the ledger " + ledger.voided
                            : null;
            if (found != null) {
                diverged("match:" + id, found, () -> ReadModelRepair.ofMatch(id, found));
            } else {
                equal("match:" + id);
            }
        }
    }

    private void diverged(String key, String found, java.util.function.Supplier<ReadModelRepair> repair) {
        Instant now = Instant.now();
        Divergence divergence = unrepaired.get(key);
        if (divergence == null) {
            divergence = new Divergence(found, now);
            unrepaired.put(key, divergence);
            divergences.increment();
            log.warn("Self-check: {} diverges from the ledger: {}", key, found);
        }
        if (settings.repair()
                && (divergence.repairSent == null
                        || divergence
                                .repairSent
                                .plus(settings.repairAgainAfter())
                                .isBefore(now))) {
            events.publish(repair.get());
            divergence.repairSent = now;
            repairsSent.increment();
        }
    }

    private void equal(String key) {
        Divergence divergence = unrepaired.remove(key);
        if (divergence != null) {
            repaired.increment();
            log.warn("Self-check: {} equals the ledger again (found {} at {})", key, divergence.found, divergence.at);
        }
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
        }
        return chunks;
    }

    /** What a player's ledger holds, as far as the check has read it. */
    private static final class PlayerFacts {
        long sequence = -1;
        long historySequence = -1;
        long lastIndex;
        long points;
        long entries;
    }

    private static final class MatchFacts {
        boolean voided;
        long lastIndex;
    }

    private static final class Divergence {
        final String found;
        final Instant at;
        Instant repairSent;

        Divergence(String found, Instant at) {
            this.found = found;
            this.at = at;
        }
    }

    /**
     * Where the check stands: the index it has read through, what it knows, what it compared and found, and what is
     * unequal now (the first 20 of {@code unrepairedCount}).
     */
    public record Report(
            long checkedThrough,
            long eventsRead,
            long players,
            long matches,
            long compared,
            long divergencesFound,
            long repairsSent,
            long repaired,
            List<String> unrepaired,
            int unrepairedCount,
            Instant lastRound,
            String lastFailure) {

        Report failed(String failure) {
            return new Report(
                    checkedThrough,
                    eventsRead,
                    players,
                    matches,
                    compared,
                    divergencesFound,
                    repairsSent,
                    repaired,
                    unrepaired,
                    unrepairedCount,
                    lastRound,
                    failure);
        }
    }
}
