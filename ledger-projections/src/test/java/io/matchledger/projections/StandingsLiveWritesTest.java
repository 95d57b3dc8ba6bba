package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The standings' live write path ({@link StandingsTables} under {@link StandingsProjection}), without Spring: events
 * fed as a processor feeds them, on a migrated H2, read back through {@link StandingsQueries}. Redeliveries, batches
 * that register and change a player at once, and several segments writing the tally at the same time.
 */
class StandingsLiveWritesTest {

    static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    static MigratedH2 db;
    static ExecutorService segments;

    PersonalData personal;
    StandingsProjection standings;
    StandingsQueries queries;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
        segments = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        segments.shutdownNow();
    }

    @BeforeEach
    void emptyModel() {
        db.jdbc.update("delete from player_standing");
        db.jdbc.update("delete from points_tally");
        personal = new PersonalData(new PlayerKeyTable(db.dataSource));
        standings = new StandingsProjection(
                db.dataSource, personal, new StaticListableBeanFactory().getBeanProvider(EventStore.class));
        queries = new StandingsQueries(db.dataSource);
    }

    private LedgerScript script() {
        return new LedgerScript(personal, db.transactions, standings);
    }

    @Test
    void aPlayerRegisteredAndChangedInOneBatchIsWrittenOnceInTheirLastState() {
        LedgerScript script = script().holding();
        script.register("ana", "Ana");
        script.register("ben", "Ben");
        script.win("m-1", "ana", "ben", AT);
        script.draw("m-2", "ana", "ben", AT);
        script.adjust("ben", "adj-1", 5);
        deliverTogether(script, script.held());

        assertThat(queries.handle(new FindPlayerQuery("ana")))
                .hasValueSatisfying(ana -> assertThat(ana.points()).isEqualTo(4))
                .hasValueSatisfying(ana -> assertThat(ana.matches()).isEqualTo(2))
                .hasValueSatisfying(ana -> assertThat(ana.rank()).isEqualTo(2));
        assertThat(queries.handle(new FindPlayerQuery("ben")))
                .hasValueSatisfying(ben -> assertThat(ben.points()).isEqualTo(6))
                .hasValueSatisfying(ben -> assertThat(ben.rank()).isEqualTo(1));
        assertThat(tally()).isEqualTo(Map.of(4L, 1L, 6L, 1L));
    }

    @Test
    void aRedeliveredBatchOrEventChangesNothing() {
        LedgerScript script = script();
        script.register("ana", "Ana");
        script.register("ben", "Ben");
        List<LedgerScript.Written> match = script.win("m-1", "ana", "ben", AT);
        script.adjust("ana", "adj-1", -1);
        List<Map<String, Object>> rows = rows();
        Map<Long, Long> tally = tally();

        match.forEach(script::redeliver);
        assertThat(rows()).isEqualTo(rows);
        script.feed(0).deliverTogether(script.feed(0).history());
        assertThat(rows()).isEqualTo(rows);
        assertThat(tally()).isEqualTo(tally).isEqualTo(Map.of(2L, 1L, 0L, 1L));
    }

    @Test
    void anErasedPlayerIsShownByTheNeutralLabelAndARenamedOneByTheirNewName() {
        LedgerScript script = script();
        script.register("ana", "Ana");
        script.register("ben", "Ben");
        script.erase("ben");

        assertThat(queries.handle(new FindPlayerQuery("ana")).orElseThrow().name())
                .isEqualTo("Ana");
        assertThat(queries.handle(new FindPlayerQuery("ben")).orElseThrow().name())
                .isEqualTo(LedgerRules.ERASED_LABEL);
        assertThat(queries.handle(new FindPlayerQuery("nobody"))).isEmpty();
    }

    @Test
    void anEventForAPlayerWithoutAStandingFailsItsBatchAndTheBatchWritesNothing() {
        LedgerScript script = script();
        script.register("ana", "Ana");
        List<Map<String, Object>> rows = rows();
        EventFeed feed = new EventFeed(standings, db.transactions);
        feed.append("ana", 1, 10, new MatchRecorded("ana", "m-9", "ghost", MatchResult.WIN, 3, 3, AT));
        feed.append("ghost", 0, 11, new MatchRecorded("ghost", "m-9", "ana", MatchResult.LOSS, 0, 0, AT));

        assertThatThrownBy(() -> feed.deliverTogether(feed.history()))
                .hasStackTraceContaining("no standing for player ghost");
        assertThat(rows()).isEqualTo(rows);
    }

    @Test
    void theLeaderboardAndTheNeighboursFollowTheOrderOverTheWrittenRows() {
        LedgerScript script = script();
        for (String player : List.of("a", "b", "c", "d")) {
            script.register(player, player.toUpperCase());
        }
        script.win("m-1", "c", "a", AT); // c 3
        script.win("m-2", "b", "d", AT); // b 3, reached later than c
        script.draw("m-3", "a", "d", AT); // a 1 before d 1: a's ledger records the draw first

        assertThat(queries.handle(new LeaderboardQuery(0, 10)).items().stream()
                        .map(LeaderboardEntry::playerId)
                        .toList())
                .containsExactly("c", "b", "a", "d");
        assertThat(queries.handle(new LeaderboardQuery(1, 2)).items())
                .extracting(LeaderboardEntry::rank, LeaderboardEntry::playerId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "b"), org.assertj.core.groups.Tuple.tuple(3L, "a"));
        assertThat(queries.handle(new LeaderboardQuery(-5, 0)).items()).isEmpty();
        assertThat(queries.handle(new LeaderboardQuery(-5, 0)).total()).isEqualTo(4);
        assertThat(queries.handle(new LeaderboardAroundQuery("a", 1))
                        .orElseThrow()
                        .items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("b", "a", "d");
        assertThat(queries.handle(new LeaderboardAroundQuery("c", -3))
                        .orElseThrow()
                        .items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("c");
        assertThat(queries.handle(new LeaderboardAroundQuery("nobody", 1))).isEmpty();
    }

    /**
     * Two segments write at once, each its own players, all moving between the same totals: each batch adds its
     * change to a count (never reads and writes it back), so the tally ends equal to the rows however they
     * interleave. On H2 two batches that both insert a total nobody stood at collide on its key, and one fails and
     * rolls back: the processor retries such a batch, and so does this test.
     */
    @Test
    void twoSegmentsWritingTheSameTotalsAtOnceLeaveTheTallyEqualToTheRows() throws Exception {
        int batches = 12;
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (String segment : List.of("x", "y")) {
            running.add(CompletableFuture.runAsync(
                    () -> {
                        LedgerScript script = script().holding();
                        for (int batch = 0; batch < batches; batch++) {
                            String first = segment + batch + "a";
                            String second = segment + batch + "b";
                            script.register(first, first);
                            script.register(second, second);
                            script.win("m-" + first, first, second, AT);
                            script.draw("m-" + second, first, second, AT);
                            List<LedgerScript.Written> held = script.held();
                            await(together);
                            deliverRetried(script, held);
                            script.holding();
                        }
                    },
                    segments));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Map<Long, Long> counted = new HashMap<>();
        db.jdbc
                .queryForList("select points from player_standing", Long.class)
                .forEach(points -> counted.merge(points, 1L, Long::sum));
        assertThat(counted).isEqualTo(Map.of(4L, (long) 2 * batches, 1L, (long) 2 * batches));
        assertThat(tally()).isEqualTo(counted);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As a processor retries a batch that failed and rolled back (a few times here, where it would go on). */
    private static void deliverRetried(LedgerScript script, List<LedgerScript.Written> held) {
        for (int attempt = 1; ; attempt++) {
            try {
                deliverTogether(script, held);
                return;
            } catch (RuntimeException rolledBack) {
                if (attempt == 5) {
                    throw rolledBack;
                }
            }
        }
    }

    private static void deliverTogether(LedgerScript script, List<LedgerScript.Written> held) {
        script.feed(0)
                .deliverTogether(held.stream()
                        .<TrackedEventMessage<?>>map(
                                written -> written.messages().get(0))
                        .toList());
    }

    private List<Map<String, Object>> rows() {
        return db.jdbc.queryForList("select * from player_standing order by player_id");
    }

    private Map<Long, Long> tally() {
        Map<Long, Long> tally = new HashMap<>();
        db.jdbc
                .queryForList("select points, players from points_tally where players <> 0")
                .forEach(row ->
                        tally.put(((Number) row.get("POINTS")).longValue(), ((Number) row.get("PLAYERS")).longValue()));
        return tally;
    }
}
