package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.core.LedgerModule;
import io.matchledger.core.Player;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.Projections;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A player with 100,000 matches. Snapshots keep recording a match for them about as cheap as for a new player: a
 * ledger that is not cached is loaded from its latest snapshot plus at most a threshold of events after it. The test
 * prints what it measures and asserts the mechanism, never a time. The long history is also exported, verified and
 * rebuilt, and the rates printed.
 * <p>
 * The history is appended straight to the event store, as a migration would, in big transactions: recording 100,000
 * matches one command at a time would take most of the build. A context of its own, thrown away afterwards.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // The veteran's ledger is seeded straight into the store, 5,000 events per transaction, each stamped when
        // made: on a busy machine a batch takes longer than the 5 s append bound to insert.
        properties = {"ledger.snapshot-threshold=250", "ledger.event-store.append-bound=5m"})
@ActiveProfiles("test")
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LongLedgerSnapshotTest {

    static final String VETERAN = "veteran";
    static final int MATCHES = 100_000;
    static final int ROUNDS = 5;

    @LocalServerPort
    int port;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PersonalData personal;

    @Autowired
    LedgerModule ledger;

    @Autowired
    Projections projections;

    @Autowired
    CommandGateway commands;

    @Value("${ledger.snapshot-threshold}")
    int threshold;

    LedgerClient client;
    long veteranTotal;

    @BeforeAll
    void aVeteranWithAHundredThousandMatches() {
        client = new LedgerClient(port);
        assertThat(client.registerPlayer("sparring", "Sparring").status()).isEqualTo(201);
        for (int i = 0; i < 2 * ROUNDS + 2; i++) {
            assertThat(client.registerPlayer("newcomer-" + i, "Newcomer " + i).status())
                    .isEqualTo(201);
        }
        long started = System.nanoTime();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        events.add(new GenericDomainEventMessage<>(
                "Player", VETERAN, 0, new PlayerRegistered(VETERAN, personal.seal(VETERAN, "Veteran"))));
        Instant playedAt = Instant.now();
        for (int match = 1; match <= MATCHES; match++) {
            MatchResult result = MatchResult.values()[match % 3];
            int points = switch (result) {
                case WIN -> 3;
                case DRAW -> 1;
                case LOSS -> 0;
            };
            veteranTotal += points;
            events.add(new GenericDomainEventMessage<>(
                    "Player",
                    VETERAN,
                    match,
                    new MatchRecorded(VETERAN, "old-" + match, "sparring", result, points, veteranTotal, playedAt)));
            if (events.size() == 5_000) {
                append(events);
            }
        }
        append(events);
        System.out.printf(
                "long history: appended %d events in %.1f s%n", MATCHES + 1, (System.nanoTime() - started) / 1e9);
        long caughtUp = System.nanoTime();
        awaitProjectionsCaughtUp();
        System.out.printf(
                "long history: projections processed them %.1f s later%n", (System.nanoTime() - caughtUp) / 1e9);
    }

    @Test
    @Order(1)
    void aPlayerWithAHundredThousandMatchesRecordsANewOneFromASnapshotLikeANewPlayer() {
        assertThat(snapshotSequence())
                .as("no snapshot before the ledger was ever loaded")
                .isEmpty();
        // Without a snapshot a load reads the whole history: the cost the snapshot is there to spare.
        int readWithoutSnapshot = asLoaded(VETERAN).size();
        assertThat(readWithoutSnapshot).isEqualTo(MATCHES + 1);

        // The first load reads all 100,000 events, and schedules the snapshot that spares every later load. It can
        // take longer than an HTTP client waits, so it goes through the command gateway.
        ledger.playerCache().removeAll();
        long started = System.nanoTime();
        MatchSettlement first = commands.sendAndWait(
                new RecordMatchCommand("first-after-migration", VETERAN, "sparring", Outcome.WIN, null));
        long withoutSnapshot = System.nanoTime() - started;
        veteranTotal += 3;
        assertThat(first.players().get(0).totalAfter()).isEqualTo(veteranTotal);
        await().atMost(Duration.ofMinutes(5)).until(() -> snapshotSequence().isPresent());
        assertThat(snapshotSequence().orElseThrow()).isGreaterThanOrEqualTo(MATCHES);

        List<Long> veteranNanos = new ArrayList<>();
        List<Long> newcomerNanos = new ArrayList<>();
        List<Integer> veteranRead = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // Cold caches, as after a restart or for a player not seen for a while.
            ledger.playerCache().removeAll();
            veteranNanos.add(timeMatch(VETERAN, "newcomer-" + (2 * round), "veteran-" + round));
            veteranTotal += 3;
            ledger.playerCache().removeAll();
            newcomerNanos.add(
                    timeMatch("newcomer-" + (2 * round + 1), "newcomer-" + (2 * ROUNDS + 1), "newcomer-" + round));

            // The mechanism: a load reads the snapshot and at most a threshold of events after it.
            List<DomainEventMessage<?>> asLoaded = asLoaded(VETERAN);
            assertThat(asLoaded.get(0).getPayload()).isInstanceOf(Player.class);
            assertThat(asLoaded.size() - 1).isLessThanOrEqualTo(threshold);
            veteranRead.add(asLoaded.size());
        }
        // The comparison, in what a load reads rather than in time (which a busy machine decides): from a snapshot
        // the veteran's ledger costs what a ledger of at most a threshold of events costs, a newcomer's included,
        // not the 100,001 events it cost without one.
        int mostRead = veteranRead.stream().max(Integer::compare).orElseThrow();
        assertThat(mostRead).isLessThanOrEqualTo(threshold + 1).isLessThan(readWithoutSnapshot / 100);
        for (int round = 0; round < ROUNDS; round++) {
            assertThat(asLoaded("newcomer-" + (2 * round + 1)).size()).isLessThanOrEqualTo(threshold + 1);
        }
        System.out.printf(
                "long history: recording a match, cold cache: the veteran (%d matches) %.1f ms without a "
                        + "snapshot (%d events read), %.1f ms (median of %d) from a snapshot (at most %d read); "
                        + "a new player %.1f ms%n",
                MATCHES,
                withoutSnapshot / 1e6,
                readWithoutSnapshot,
                median(veteranNanos) / 1e6,
                ROUNDS,
                mostRead,
                median(newcomerNanos) / 1e6);
    }

    @Test
    @Order(2)
    void theLongHistoryIsExportedVerifiedAndRebuilt() {
        awaitProjectionsCaughtUp();
        long head = projections.head();

        long started = System.nanoTime();
        Reply export = TestAccounts.AUDITOR.client(port).get("/api/audit/events?limit=1000000");
        double exportSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(export.status()).isEqualTo(200);
        long lines = export.body().chars().filter(c -> c == '\n').count();
        assertThat(lines).isEqualTo(eventCount());

        started = System.nanoTime();
        Reply verify = TestAccounts.AUDITOR.client(port).get("/api/audit/verify");
        double verifySeconds = (System.nanoTime() - started) / 1e9;
        assertThat(verify.json().get("mismatches")).as(verify.toString()).isEmpty();
        assertThat(verify.json().get("totalAfterBreaks")).as(verify.toString()).isEmpty();

        started = System.nanoTime();
        assertThat(client.post("/api/admin/projections/standings/rebuild", "").status())
                .isEqualTo(202);
        awaitProjectionsCaughtUp();
        double rebuildSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(client.pointsOf(VETERAN)).isEqualTo(veteranTotal);

        System.out.printf(
                "long history: %d events exported in %.1f s (%.0f events/s, %d MB), verified in %.1f s "
                        + "(%.0f events/s), standings rebuilt in %.1f s (%.0f events/s)%n",
                lines,
                exportSeconds,
                lines / exportSeconds,
                export.body().length() >> 20,
                verifySeconds,
                head / verifySeconds,
                rebuildSeconds,
                head / rebuildSeconds);
    }

    @Test
    @Order(3)
    void aSnapshotWrittenByAnotherVersionOfThePlayerStillLoads() throws Exception {
        ObjectMapper json = new ObjectMapper();
        long sequence = snapshotSequence().orElseThrow();
        ObjectNode snapshot = (ObjectNode) json.readTree(jdbc.queryForObject(
                "select payload from snapshot_event_entry where aggregate_identifier = ? and sequence_number = ?",
                byte[].class,
                VETERAN,
                sequence));
        assertThat(snapshot.get("points").asLong()).isLessThanOrEqualTo(veteranTotal);
        // A field this version does not know, and a total that deliberately disagrees with the events: only a ledger
        // really loaded from this snapshot answers with it (Axon silently falls back to the events when a snapshot
        // cannot be read). This breaks the veteran's ledger on purpose; the context is thrown away afterwards.
        long planted = snapshot.get("points").asLong() + 1_000;
        snapshot.put("points", planted).put("rank", 7).put("title", "grandmaster");
        jdbc.update(
                "update snapshot_event_entry set payload = ? "
                        + "where aggregate_identifier = ? and sequence_number = ?",
                json.writeValueAsString(snapshot).getBytes(StandardCharsets.UTF_8),
                VETERAN,
                sequence);
        // The veteran won every match recorded after the snapshot.
        long pointsAfterSnapshot = jdbc.queryForObject(
                "select coalesce(sum(case when payload_type like '%MatchRecorded' then 3 end), 0) "
                        + "from domain_event_entry where aggregate_identifier = ? and sequence_number > ?",
                Long.class, VETERAN, sequence);

        ledger.playerCache().removeAll();
        Reply reply = client.win("after-upgrade", VETERAN, "sparring");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(TwoWindowScenarioTest.totalIn(reply, VETERAN)).isEqualTo(planted + pointsAfterSnapshot + 3);
    }

    long timeMatch(String winner, String loser, String matchId) {
        long started = System.nanoTime();
        Reply reply = client.win(matchId, winner, loser);
        long nanos = System.nanoTime() - started;
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        if (winner.equals(VETERAN)) {
            assertThat(TwoWindowScenarioTest.totalIn(reply, VETERAN)).isEqualTo(veteranTotal + 3);
        }
        return nanos;
    }

    Optional<Long> snapshotSequence() {
        return jdbc
                .queryForList(
                        "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?",
                        Long.class,
                        VETERAN)
                .stream()
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** What the repository reads to load a ledger that is not cached. */
    List<DomainEventMessage<?>> asLoaded(String playerId) {
        return transaction.execute(status -> {
            DomainEventStream stream = eventStore.readEvents(playerId);
            List<DomainEventMessage<?>> messages = new ArrayList<>();
            stream.forEachRemaining(messages::add);
            return messages;
        });
    }

    void append(List<DomainEventMessage<?>> events) {
        transaction.executeWithoutResult(status -> eventStore.publish(events));
        events.clear();
    }

    void awaitProjectionsCaughtUp() {
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (ProjectionStatus status : projections.statuses()) {
                        assertThat(status.lagEvents()).as(status.toString()).isZero();
                        assertThat(status.replaying()).as(status.toString()).isFalse();
                    }
                });
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }

    static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
