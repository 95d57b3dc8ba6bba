package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.PlatformTransactionManager;

// On a migrated H2 without Spring (MigratedH2): each event commits on its own, as in an event processor, and queries
// read what was committed.
class StandingsProjectionTest {

    static MigratedH2 db;

    final PlatformTransactionManager transactionManager = db.transactions;
    final JdbcTemplate jdbc = db.jdbc;
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final StandingsProjection standings = new StandingsProjection(
            db.dataSource, personal, new StaticListableBeanFactory().getBeanProvider(EventStore.class));
    final StandingsQueries queries = new StandingsQueries(db.dataSource);

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    EventFeed feed;
    final Map<String, Long> totals = new HashMap<>();
    int matchesPlayed;

    @BeforeEach
    void emptyLedger() {
        jdbc.update("delete from player_standing");
        jdbc.update("delete from points_tally");
        feed = new EventFeed(standings, transactionManager);
    }

    @Test
    void aRegisteredPlayerStartsAtZeroAndKeepsTheirStandingWhenRenamed() {
        register("lubien");
        feed.publish("lubien", new PlayerRenamed("lubien", personal.seal("lubien", "Lubien the Second")));

        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien the Second", 0, 0, 0, 0, 0, 1));
    }

    @Test
    void matchesCountWinsDrawsAndLossesAndAddTheirPoints() {
        register("lubien");
        register("enemy");

        win("enemy", "lubien");
        win("enemy", "lubien");
        draw("lubien", "enemy");

        assertThat(player("enemy")).isEqualTo(new PlayerView("enemy", "Enemy", 7, 2, 1, 0, 3, 1));
        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien", 1, 0, 1, 2, 3, 2));
    }

    @Test
    void adjustmentsAddAndRemovePointsWithoutCountingAsMatches() {
        register("lubien");

        adjust("lubien", 104);
        adjust("lubien", -4);

        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien", 100, 0, 0, 0, 0, 1));
    }

    @Test
    void theTwoWindowScenarioEndsAtLubien105AndEnemy103() {
        register("lubien");
        register("enemy");
        adjust("lubien", 104);
        adjust("enemy", 72);
        for (int i = 0; i < 10; i++) {
            win("enemy", "lubien");
        }
        draw("enemy", "lubien");

        assertThat(player("lubien").points()).isEqualTo(105);
        assertThat(player("enemy").points()).isEqualTo(103);
        assertThat(board(0, 10)).extracting(LeaderboardEntry::playerId).containsExactly("lubien", "enemy");
    }

    @Test
    void aVoidedMatchNoLongerCountsInThePointsNorAsAWinDrawLossOrMatch() {
        register("lubien");
        register("enemy");
        adjust("lubien", 104);
        adjust("enemy", 72);
        for (int i = 0; i < 10; i++) {
            win("enemy", "lubien");
        }
        draw("enemy", "lubien");

        List<TrackedEventMessage<?>> voided = voidMatch("m-3", "enemy", "lubien", MatchResult.WIN, 3);

        assertThat(player("enemy")).isEqualTo(new PlayerView("enemy", "Enemy", 100, 9, 1, 0, 10, 2));
        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien", 105, 0, 1, 9, 10, 1));
        assertTallyCountsTheStandings();
        voided.forEach(feed::deliver);
        assertThat(player("enemy")).isEqualTo(new PlayerView("enemy", "Enemy", 100, 9, 1, 0, 10, 2));
    }

    @Test
    void aVoidedDrawTakesAPointAndADrawFromEach() {
        register("lubien");
        register("enemy");
        draw("lubien", "enemy");
        win("lubien", "enemy");

        voidMatch("m-1", "lubien", "enemy", MatchResult.DRAW, 1);

        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien", 3, 1, 0, 0, 1, 1));
        assertThat(player("enemy")).isEqualTo(new PlayerView("enemy", "Enemy", 0, 0, 0, 1, 1, 2));
        assertTallyCountsTheStandings();
    }

    @Test
    void whoReachedATotalFirstStaysAheadAndALossDoesNotMoveThatMoment() {
        register("alice");
        register("bob");
        register("carol");
        register("dave");

        win("bob", "carol"); // bob reaches 3 first
        win("alice", "carol"); // alice reaches 3 later, despite the smaller id
        win("dave", "bob"); // bob's loss leaves his total, and when he reached it, as it was

        assertThat(board(0, 10))
                .containsExactly(
                        new LeaderboardEntry(1, "bob", "Bob", 3, 2),
                        new LeaderboardEntry(2, "alice", "Alice", 3, 1),
                        new LeaderboardEntry(3, "dave", "Dave", 3, 1),
                        new LeaderboardEntry(4, "carol", "Carol", 0, 2));
    }

    @Test
    void reachingATotalAgainCountsFromTheLaterEvent() {
        register("alice");
        register("bob");
        adjust("alice", 5);
        adjust("bob", 5); // alice reached 5 first...
        adjust("alice", -1);
        adjust("alice", 1); // ...but left it and came back after bob

        assertThat(board(0, 10)).extracting(LeaderboardEntry::playerId).containsExactly("bob", "alice");
    }

    @Test
    void withTheSameTotalReachedInTheSameMillisecondThePlayerIdDecides() {
        // Recorded at the same moment (the feed dates an event by its position): the id keeps the order total.
        feed.publish("zed", 0, 7, new PlayerRegistered("zed", personal.seal("zed", "Zed")));
        feed.publish("amy", 0, 7, new PlayerRegistered("amy", personal.seal("amy", "Amy")));
        feed.publish("max", 0, 3, new PlayerRegistered("max", personal.seal("max", "Max")));

        assertThat(board(0, 10)).extracting(LeaderboardEntry::playerId).containsExactly("max", "amy", "zed");
        assertThat(player("amy").rank()).isEqualTo(2);
        assertThat(player("zed").rank()).isEqualTo(3);
    }

    @Test
    void whoReachedATotalFirstIsWhenTheLedgerRecordedItNotWhenTheProjectionSawIt() {
        register("alice");
        register("bob");
        // Bob's adjustment is recorded first, but its write commits late, into a gap of the global sequence: the
        // processor handles alice's first, and then bob's with the position the stream has got to by then.
        TrackedEventMessage<?> bobFirst = feed.append("bob", new PointsAdjusted("bob", "a-bob", 3, "test", 3));
        TrackedEventMessage<?> aliceLater = feed.publish("alice", new PointsAdjusted("alice", "a-alice", 3, "test", 3));
        feed.deliver(bobFirst.withTrackingToken(aliceLater.trackingToken()));

        assertThat(board(0, 10)).extracting(LeaderboardEntry::playerId).containsExactly("bob", "alice");
        assertTallyCountsTheStandings();
    }

    @Test
    void aPlayersRankIsTheirPositionOnTheLeaderboard() {
        List<String> ids = List.of("p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10");
        ids.forEach(this::register);
        // Many ties, reached in an order unrelated to the ids.
        int[] points = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
        for (int i = ids.size() - 1; i >= 0; i--) {
            adjust(ids.get(i), points[i]);
        }

        LeaderboardPage everyone = queries.handle(new LeaderboardQuery(0, 100));
        assertThat(everyone.total()).isEqualTo(ids.size());
        assertThat(everyone.items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("p05", "p07", "p10", "p08", "p04", "p02", "p09", "p00", "p06", "p03", "p01");
        for (int i = 0; i < everyone.items().size(); i++) {
            LeaderboardEntry entry = everyone.items().get(i);
            assertThat(entry.rank()).isEqualTo(i + 1);
            assertThat(player(entry.playerId()).rank()).as(entry.playerId()).isEqualTo(i + 1);
        }

        LeaderboardPage middle = queries.handle(new LeaderboardQuery(3, 4));
        assertThat(middle.offset()).isEqualTo(3);
        assertThat(middle.limit()).isEqualTo(4);
        assertThat(middle.total()).isEqualTo(ids.size());
        assertThat(middle.items()).isEqualTo(everyone.items().subList(3, 7));

        assertThat(board(10, 5)).isEqualTo(everyone.items().subList(10, 11));
        assertTallyCountsTheStandings();
        assertThat(board(11, 5)).isEmpty();
        assertThat(board(0, 0)).isEmpty();
    }

    @Test
    void aroundAPlayerShowsUpToRadiusNeighboursAboveAndBelow() {
        // p1 leads with 10 points, p10 trails with 1.
        for (int i = 1; i <= 10; i++) {
            register("p" + i);
            adjust("p" + i, 11 - i);
        }

        LeaderboardPage top = around("p1", 2);
        assertThat(top.offset()).isZero();
        assertThat(top.total()).isEqualTo(10);
        assertThat(top.items()).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 3L);
        assertThat(top.items()).extracting(LeaderboardEntry::playerId).containsExactly("p1", "p2", "p3");

        LeaderboardPage middle = around("p5", 2);
        assertThat(middle.offset()).isEqualTo(2);
        assertThat(middle.items()).extracting(LeaderboardEntry::rank).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(middle.items()).extracting(LeaderboardEntry::playerId).containsExactly("p3", "p4", "p5", "p6", "p7");

        LeaderboardPage bottom = around("p10", 2);
        assertThat(bottom.offset()).isEqualTo(7);
        assertThat(bottom.items()).extracting(LeaderboardEntry::playerId).containsExactly("p8", "p9", "p10");

        assertThat(around("p4", 0).items()).containsExactly(new LeaderboardEntry(4, "p4", "P4", 7, 0));
        assertThat(around("p2", 50).items()).hasSize(10);
        for (LeaderboardPage page : List.of(top, middle, bottom, around("p9", 4))) {
            assertThat(page.items()).isEqualTo(board(page.offset(), page.limit()));
        }
    }

    @Test
    void aroundAPlayerAmongTiesCountsWhoReachedTheTotalFirst() {
        for (int i = 1; i <= 7; i++) {
            register("p" + i);
        }
        adjust("p7", 1);
        adjust("p6", 5);
        adjust("p1", 5);
        adjust("p3", 5);

        LeaderboardPage page = around("p1", 1);

        assertThat(page.items())
                .containsExactly(
                        new LeaderboardEntry(1, "p6", "P6", 5, 0),
                        new LeaderboardEntry(2, "p1", "P1", 5, 0),
                        new LeaderboardEntry(3, "p3", "P3", 5, 0));
        assertThat(around("p2", 2).items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("p3", "p7", "p2", "p4", "p5");
        assertThat(around("p2", 2).offset()).isEqualTo(2);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        TrackedEventMessage<?> registered = register("lubien");
        register("enemy");
        List<TrackedEventMessage<?>> match = win("lubien", "enemy");
        TrackedEventMessage<?> adjusted = adjust("lubien", 10);
        TrackedEventMessage<?> renamed =
                feed.publish("lubien", new PlayerRenamed("lubien", personal.seal("lubien", "Lubien II")));
        PlayerView before = player("lubien");

        match.forEach(feed::deliver);
        feed.deliver(adjusted);
        feed.deliver(registered);
        feed.deliver(renamed);

        assertThat(player("lubien"))
                .isEqualTo(before)
                .isEqualTo(new PlayerView("lubien", "Lubien II", 13, 1, 0, 0, 1, 1));
        assertThat(player("enemy")).isEqualTo(new PlayerView("enemy", "Enemy", 0, 0, 0, 1, 1, 2));
        assertTallyCountsTheStandings();
    }

    @Test
    void oneProcessorBatchOfTheWholeHistoryGivesTheRowsOfEventsOneByOneAndItsRedeliveryNothing() {
        register("lubien");
        register("enemy");
        register("third");
        adjust("lubien", 104);
        adjust("enemy", 72);
        win("enemy", "lubien");
        draw("third", "lubien");
        feed.publish("lubien", new PlayerRenamed("lubien", personal.seal("lubien", "Lubien II")));
        win("third", "enemy");
        voidMatch("m-1", "enemy", "lubien", MatchResult.WIN, 3);
        draw("lubien", "enemy");
        List<Map<String, Object>> standings = standingRows();
        List<Map<String, Object>> tallied = tallyRows();

        jdbc.update("delete from player_standing");
        jdbc.update("delete from points_tally");
        feed.deliverTogether(feed.history());
        assertThat(standingRows()).isEqualTo(standings);
        assertThat(tallyRows()).isEqualTo(tallied);

        feed.deliverTogether(feed.history());
        assertThat(standingRows()).isEqualTo(standings);
        assertThat(tallyRows()).isEqualTo(tallied);
        assertTallyCountsTheStandings();
    }

    @Test
    void aRebuildFromTheFirstEventGivesTheSameStandings() {
        register("lubien");
        register("enemy");
        register("third");
        adjust("lubien", 104);
        adjust("enemy", 72);
        win("enemy", "lubien");
        draw("third", "lubien");
        List<LeaderboardEntry> before = board(0, 10);

        feed.rebuild();

        assertThat(board(0, 10)).isEqualTo(before);
        assertThat(player("lubien")).isEqualTo(new PlayerView("lubien", "Lubien", 105, 0, 1, 1, 2, 1));
        assertTallyCountsTheStandings();
    }

    @Test
    void aCopyWritingToTheRebuildTablesGivesTheSameRowsAsTheLiveHandlers() throws Exception {
        register("lubien");
        register("enemy");
        register("third");
        register("idle");
        adjust("lubien", 104);
        adjust("enemy", 72);
        win("enemy", "lubien");
        draw("third", "lubien");
        List<TrackedEventMessage<?>> voided = win("third", "enemy");
        voidMatch("m-" + matchesPlayed, "third", "enemy", MatchResult.WIN, 3);
        feed.publish("third", new PlayerRenamed("third", personal.seal("third", "Third Again")));
        // A redelivery during the live run: the rebuild sees each event once and must still agree.
        voided.forEach(feed::deliver);
        jdbc.update("delete from player_standing_rebuild");
        jdbc.update("delete from points_tally_rebuild");

        // As a rebuild runs it: the history once, in order, in batches, through a copy on the twin tables.
        EventFeed rebuild = new EventFeed(standings.writingTo(TableSet.REBUILD), transactionManager);
        rebuild.deliverTogether(feed.history());

        assertThat(rows("player_standing_rebuild")).isEqualTo(standingRows());
        assertThat(jdbc.queryForList(
                        "select points, players from points_tally_rebuild where players <> 0 order by points"))
                .isEqualTo(tallyRows());
        assertThat(standingRows()).as("the live model is left alone").hasSize(4);
    }

    @Test
    void anErasedPlayerKeepsTheirStandingUnderTheNeutralLabel() {
        register("p-1", "Ada Lovelace");
        register("enemy");
        adjust("p-1", 10);
        win("p-1", "enemy");
        PlayerView before = player("p-1");

        erase("p-1");

        assertThat(player("p-1")).isEqualTo(new PlayerView("p-1", "Erased player", 13, 1, 0, 0, 1, 1));
        assertThat(player("p-1"))
                .usingRecursiveComparison()
                .ignoringFields("name")
                .isEqualTo(before);
        assertThat(player("enemy").name()).isEqualTo("Enemy");
        assertThat(standingRows().toString()).doesNotContain("Ada", "Lovelace");
    }

    @Test
    void aRebuildAfterAnErasureGivesTheSameRowsAndNeverTheName() {
        register("p-1", "Ada Lovelace");
        register("enemy");
        feed.publish("p-1", new PlayerRenamed("p-1", personal.seal("p-1", "Ada King")));
        win("enemy", "p-1");
        erase("p-1");
        List<Map<String, Object>> rows = standingRows();

        // The registration and the rename are in the history as they were; their names open no more.
        feed.rebuild();
        assertThat(standingRows()).isEqualTo(rows);
        jdbc.update("delete from player_standing_rebuild");
        jdbc.update("delete from points_tally_rebuild");
        new EventFeed(standings.writingTo(TableSet.REBUILD), transactionManager).deliverTogether(feed.history());
        assertThat(rows("player_standing_rebuild")).isEqualTo(rows);
        assertThat(rows.toString()).doesNotContain("Ada").contains("Erased player");
    }

    @Test
    void aRedeliveredRenameAfterTheErasureDoesNotBringTheNameBack() {
        register("p-1", "Ada Lovelace");
        TrackedEventMessage<?> renamed =
                feed.publish("p-1", new PlayerRenamed("p-1", personal.seal("p-1", "Ada King")));
        erase("p-1");

        feed.deliver(renamed);

        assertThat(player("p-1").name()).isEqualTo("Erased player");
    }

    private List<Map<String, Object>> rows(String table) {
        return jdbc.queryForList("select * from " + table + " order by player_id");
    }

    @Test
    void anUnknownPlayerHasNoStanding() {
        register("lubien");

        assertThat(queries.handle(new FindPlayerQuery("nobody"))).isEmpty();
        assertThat(queries.handle(new LeaderboardAroundQuery("nobody", 5))).isEmpty();
    }

    @Test
    void queriesAreAnsweredThroughAxonsQueryBus() {
        register("lubien");
        register("enemy");
        win("enemy", "lubien");
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(queries).subscribe(bus);
        QueryGateway queries = DefaultQueryGateway.builder().queryBus(bus).build();

        assertThat(queries.query(new FindPlayerQuery("lubien"), ResponseTypes.optionalInstanceOf(PlayerView.class))
                        .join())
                .map(PlayerView::rank)
                .contains(2L);
        assertThat(queries.query(new FindPlayerQuery("nobody"), ResponseTypes.optionalInstanceOf(PlayerView.class))
                        .join())
                .isEmpty();
        assertThat(queries.query(new LeaderboardQuery(0, 1), LeaderboardPage.class)
                        .join()
                        .items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("enemy");
        assertThat(queries.query(
                                new LeaderboardAroundQuery("lubien", 1),
                                ResponseTypes.optionalInstanceOf(LeaderboardPage.class))
                        .join())
                .map(LeaderboardPage::total)
                .contains(2L);
    }

    @Test
    void theLeaderboardIndexFollowsTheLeaderboardOrder() {
        List<String> columns = jdbc.queryForList("""
                select c.column_name || ' ' || c.ordering_specification
                from information_schema.index_columns c
                where c.table_name = 'PLAYER_STANDING' and c.index_name = 'PLAYER_STANDING_LEADERBOARD'
                order by c.ordinal_position""", String.class);

        assertThat(columns).containsExactly("POINTS DESC", "REACHED_AT ASC", "PLAYER_ID ASC");
    }

    /** The tally that ranks are computed from must agree with the standings that pages are read from. */
    private void assertTallyCountsTheStandings() {
        Map<Long, Long> counted = new HashMap<>();
        jdbc.queryForList("select points from player_standing", Long.class)
                .forEach(points -> counted.merge(points, 1L, Long::sum));
        Map<Long, Long> tallied = new HashMap<>();
        jdbc.query("select points, players from points_tally where players <> 0", (RowCallbackHandler)
                row -> tallied.put(row.getLong(1), row.getLong(2)));
        assertThat(tallied).isEqualTo(counted);
    }

    /** Every column, so that a rebuild has to agree on all of them (the tallies with players, as the tests count). */
    private List<Map<String, Object>> standingRows() {
        return jdbc.queryForList("select * from player_standing order by player_id");
    }

    private List<Map<String, Object>> tallyRows() {
        return jdbc.queryForList("select points, players from points_tally where players <> 0 order by points");
    }

    private TrackedEventMessage<?> register(String playerId) {
        return register(playerId, Character.toUpperCase(playerId.charAt(0)) + playerId.substring(1));
    }

    private TrackedEventMessage<?> register(String playerId, String name) {
        totals.put(playerId, 0L);
        return feed.publish(playerId, new PlayerRegistered(playerId, personal.seal(playerId, name)));
    }

    /** As the ledger erases: the event, and the key gone with it. */
    private void erase(String playerId) {
        personal.erase(playerId);
        feed.publish(playerId, new PlayerErased(playerId, "GDPR art. 17"));
    }

    private List<TrackedEventMessage<?>> win(String winner, String loser) {
        matchesPlayed++;
        return List.of(recordMatch(winner, loser, MatchResult.WIN, 3), recordMatch(loser, winner, MatchResult.LOSS, 0));
    }

    private List<TrackedEventMessage<?>> draw(String first, String second) {
        matchesPlayed++;
        return List.of(
                recordMatch(first, second, MatchResult.DRAW, 1), recordMatch(second, first, MatchResult.DRAW, 1));
    }

    private TrackedEventMessage<?> recordMatch(String playerId, String opponentId, MatchResult result, int points) {
        long totalAfter = totals.merge(playerId, (long) points, Long::sum);
        return feed.publish(
                playerId,
                new MatchRecorded(
                        playerId, "m-" + matchesPlayed, opponentId, result, points, totalAfter, EventFeed.START));
    }

    /** Voids a match on both ledgers; {@code result} and {@code awarded} are the first player's. */
    private List<TrackedEventMessage<?>> voidMatch(
            String matchId, String first, String second, MatchResult result, int awarded) {
        MatchResult secondResult = switch (result) {
            case WIN -> MatchResult.LOSS;
            case LOSS -> MatchResult.WIN;
            case DRAW -> MatchResult.DRAW;
        };
        int secondAwarded = result == MatchResult.DRAW ? 1 : 3 - awarded;
        return List.of(
                reverse(matchId, first, second, result, awarded),
                reverse(matchId, second, first, secondResult, secondAwarded));
    }

    private TrackedEventMessage<?> reverse(
            String matchId, String playerId, String opponentId, MatchResult result, int awarded) {
        long totalAfter = totals.merge(playerId, (long) -awarded, Long::sum);
        return feed.publish(
                playerId, new MatchVoided(playerId, matchId, opponentId, result, -awarded, "void", totalAfter));
    }

    private TrackedEventMessage<?> adjust(String playerId, int points) {
        long totalAfter = totals.merge(playerId, (long) points, Long::sum);
        return feed.publish(playerId, new PointsAdjusted(playerId, "a-" + totalAfter, points, "test", totalAfter));
    }

    private PlayerView player(String playerId) {
        return queries.handle(new FindPlayerQuery(playerId)).orElseThrow();
    }

    private List<LeaderboardEntry> board(int offset, int limit) {
        return queries.handle(new LeaderboardQuery(offset, limit)).items();
    }

    private LeaderboardPage around(String playerId, int radius) {
        return queries.handle(new LeaderboardAroundQuery(playerId, radius)).orElseThrow();
    }
}
