package io.matchledger.projections;

import static io.matchledger.core.api.MatchResult.DRAW;
import static io.matchledger.core.api.MatchResult.LOSS;
import static io.matchledger.core.api.MatchResult.WIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SealedName;
import io.matchledger.projections.api.PlayerMatch;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerMatchesQuery;
import io.matchledger.projections.api.PointsAsOf;
import io.matchledger.projections.api.PointsAsOfQuery;
import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.transaction.PlatformTransactionManager;

// On a migrated H2 without Spring (MigratedH2), the repositories over it without a context too: each event commits
// on its own, as in an event processor, and queries read what was committed.
class HistoryProjectionTest {

    static final Instant PLAYED = Instant.parse("2026-11-25T21:30:00.000000001Z");

    static MigratedH2 db;

    final HistoryProjection history =
            new HistoryProjection(db.dataSource, new StaticListableBeanFactory().getBeanProvider(EventStore.class));
    final LedgerEntryRepository entries = db.repository(LedgerEntryRepository.class);
    final PlayerHistoryRepository players = db.repository(PlayerHistoryRepository.class);
    final HistoryQueries queries = new HistoryQueries(players, entries);
    final PlatformTransactionManager transactionManager = db.transactions;
    final JdbcTemplate jdbc = db.jdbc;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    EventFeed feed;
    final Map<String, Long> totals = new HashMap<>();
    int matchesPlayed;

    @BeforeEach
    void emptyHistory() {
        jdbc.update("delete from ledger_entry");
        jdbc.update("delete from player_history");
        feed = new EventFeed(history, transactionManager);
    }

    @Test
    void aPlayersMatchesAreListedNewestFirstWithTheTotalRightAfterEach() {
        register("lubien");
        register("enemy");
        TrackedEventMessage<?> first = win("enemy", "lubien").get(1);
        adjust("lubien", 10);
        TrackedEventMessage<?> second = draw("lubien", "enemy").get(0);

        PlayerMatchesPage page = matches("lubien", 0, 50);

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items())
                .containsExactly(
                        new PlayerMatch("m-2", "enemy", DRAW, 1, 11, false, PLAYED, second.getTimestamp()),
                        new PlayerMatch("m-1", "enemy", LOSS, 0, 0, false, PLAYED, first.getTimestamp()));
        // Nanoseconds survive, so occurredAt reads back exactly as the match was reported.
        assertThat(page.items().get(0).occurredAt().getNano()).isEqualTo(1);
    }

    @Test
    void pagesSplitTheMatchesNewestFirstWhateverElseIsOnTheLedger() {
        register("lubien");
        register("enemy");
        for (int i = 0; i < 7; i++) {
            win("lubien", "enemy");
            if (i % 3 == 0) {
                adjust("lubien", 1); // adjustments are on the ledger, not in the list of matches
            }
        }

        assertThat(matchIds("lubien", 0, 3)).containsExactly("m-7", "m-6", "m-5");
        assertThat(matchIds("lubien", 1, 3)).containsExactly("m-4", "m-3", "m-2");
        assertThat(matchIds("lubien", 2, 3)).containsExactly("m-1");
        assertThat(matchIds("lubien", 3, 3)).isEmpty();
        assertThat(matchIds("lubien", 0, 100)).hasSize(7);
        assertThat(matches("lubien", 2, 3))
                .extracting(PlayerMatchesPage::page, PlayerMatchesPage::size, PlayerMatchesPage::total)
                .containsExactly(2, 3, 7L);
        assertThat(matches("enemy", 0, 3).items())
                .extracting(PlayerMatch::result)
                .containsOnly(LOSS);
    }

    @Test
    void aVoidMarksTheMatchVoidedAndKeepsItsNumbers() {
        register("lubien");
        register("enemy");
        adjust("enemy", 72);
        win("enemy", "lubien");
        win("enemy", "lubien");
        voidMatch("m-1", "enemy", "lubien", WIN, 3);
        voidMatch("m-1", "lubien", "enemy", LOSS, 0);

        // The match reads as it was recorded (3 points, 75 after), marked voided; the void is an entry of its own.
        assertThat(matches("enemy", 0, 10).items())
                .extracting(
                        PlayerMatch::matchId,
                        PlayerMatch::result,
                        PlayerMatch::points,
                        PlayerMatch::totalAfter,
                        PlayerMatch::voided)
                .containsExactly(tuple("m-2", WIN, 3, 78L, false), tuple("m-1", WIN, 3, 75L, true));
        assertThat(matches("lubien", 0, 10).items())
                .extracting(PlayerMatch::matchId, PlayerMatch::voided)
                .containsExactly(tuple("m-2", false), tuple("m-1", true));
        // Still a match of the history: only the standings stop counting it.
        assertThat(matches("enemy", 0, 10).total()).isEqualTo(2);
        assertThat(entries.findAll())
                .filteredOn(e -> e.getKind() == EntryKind.VOID)
                .extracting(
                        LedgerEntry::getPlayerId,
                        LedgerEntry::getMatchId,
                        LedgerEntry::getPoints,
                        LedgerEntry::getTotalAfter,
                        LedgerEntry::getReason)
                .containsExactlyInAnyOrder(
                        tuple("enemy", "m-1", -3, 75L, "bugged map"), tuple("lubien", "m-1", 0, 0L, "bugged map"));
    }

    @Test
    void oneProcessorBatchWritesWhatItsEventsWouldWriteOneByOneAndItsRedeliveryNothing() {
        register("lubien");
        register("enemy");
        win("enemy", "lubien"); // m-1, in an earlier batch
        feed.hold();
        register("newcomer");
        adjust("enemy", 72);
        win("enemy", "lubien"); // m-2
        win("newcomer", "enemy"); // m-3
        voidMatch("m-1", "enemy", "lubien", WIN, 3); // a match of an earlier batch
        voidMatch("m-1", "lubien", "enemy", LOSS, 0);
        voidMatch("m-2", "enemy", "lubien", WIN, 3); // a match of this batch
        voidMatch("m-2", "lubien", "enemy", LOSS, 0);
        List<TrackedEventMessage<?>> batch = feed.release();
        feed.deliverTogether(batch); // the whole batch again, as after a crash before its token was stored

        assertThat(matches("enemy", 0, 10).items())
                .extracting(
                        PlayerMatch::matchId,
                        PlayerMatch::result,
                        PlayerMatch::points,
                        PlayerMatch::totalAfter,
                        PlayerMatch::voided)
                .containsExactly(
                        tuple("m-3", LOSS, 0, 78L, false),
                        tuple("m-2", WIN, 3, 78L, true),
                        tuple("m-1", WIN, 3, 3L, true));
        assertThat(matches("lubien", 0, 10).items())
                .extracting(PlayerMatch::matchId, PlayerMatch::voided)
                .containsExactly(tuple("m-2", true), tuple("m-1", true));
        assertThat(matches("newcomer", 0, 10).items())
                .extracting(PlayerMatch::matchId, PlayerMatch::totalAfter)
                .containsExactly(tuple("m-3", 3L));
        assertThat(entries.count()).isEqualTo(11);
        assertThat(players.findById("enemy").orElseThrow().getLastSequence()).isEqualTo(6);
        assertThat(pointsAsOf("enemy", Instant.now())).isEqualTo(72);
    }

    @Test
    void aBatchThatFailsWritesNothingOfItselfAndItsEventsCanBeHandledAgain() {
        register("lubien");
        register("enemy");
        feed.hold();
        win("lubien", "enemy"); // m-1, whose entries the batch writes before it finds the bad void
        voidMatch("m-9", "lubien", "enemy", WIN, 3); // a match this history never had: the table lost data
        assertThatThrownBy(() -> feed.release()).hasStackTraceContaining("no match m-9 on the history of lubien");

        // The entries went with the batch's transaction: nothing of it stayed, and the player is where they were.
        assertThat(entries.count()).isZero();
        assertThat(players.findById("lubien").orElseThrow().getLastSequence()).isZero();
        assertThat(matches("lubien", 0, 10).total()).isZero();
    }

    @Test
    void theTotalAsOfAnInstantCountsEveryEntryRecordedAtOrBeforeIt() {
        TrackedEventMessage<?> registered = register("enemy");
        register("lubien");
        TrackedEventMessage<?> opening = adjust("enemy", 72);
        List<TrackedEventMessage<?>> losses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            losses.add(win("enemy", "lubien").get(0));
        }
        TrackedEventMessage<?> draw = draw("enemy", "lubien").get(0);
        TrackedEventMessage<?> voided = voidMatch("m-3", "enemy", "lubien", WIN, 3);

        assertThat(pointsAsOf("enemy", registered.getTimestamp())).isZero();
        assertThat(pointsAsOf("enemy", opening.getTimestamp().minusNanos(1))).isZero();
        assertThat(pointsAsOf("enemy", opening.getTimestamp())).isEqualTo(72);
        assertThat(pointsAsOf("enemy", losses.get(9).getTimestamp())).isEqualTo(102);
        assertThat(pointsAsOf("enemy", draw.getTimestamp())).isEqualTo(103);
        assertThat(pointsAsOf("enemy", voided.getTimestamp().minusNanos(1))).isEqualTo(103);
        assertThat(pointsAsOf("enemy", voided.getTimestamp())).isEqualTo(100);
        assertThat(pointsAsOf("enemy", Instant.parse("2999-01-01T00:00:00Z"))).isEqualTo(100);
        assertThat(pointsAsOf("enemy", Instant.parse("2000-01-01T00:00:00Z"))).isZero();
    }

    @Test
    void anUnknownPlayerHasNoHistoryAndNoTotal() {
        register("lubien");

        assertThat(queries.handle(new PlayerMatchesQuery("nobody", 0, 10))).isEmpty();
        assertThat(queries.handle(new PointsAsOfQuery("nobody", Instant.now()))).isEmpty();
        assertThat(matches("lubien", 0, 10)).isEqualTo(new PlayerMatchesPage("lubien", 0, 10, 0, List.of()));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        TrackedEventMessage<?> registered = register("lubien");
        register("enemy");
        List<TrackedEventMessage<?>> match = win("lubien", "enemy");
        TrackedEventMessage<?> adjusted = adjust("lubien", 10);
        TrackedEventMessage<?> voided = voidMatch("m-1", "lubien", "enemy", WIN, 3);
        PlayerMatchesPage before = matches("lubien", 0, 10);
        long entriesBefore = entries.count();

        feed.deliver(registered);
        match.forEach(feed::deliver);
        feed.deliver(adjusted);
        feed.deliver(voided);

        assertThat(matches("lubien", 0, 10)).isEqualTo(before);
        assertThat(entries.count()).isEqualTo(entriesBefore).isEqualTo(4);
        assertThat(pointsAsOf("lubien", voided.getTimestamp())).isEqualTo(10);
    }

    @Test
    void aRebuildFromTheFirstEventGivesTheSameHistory() {
        register("lubien");
        register("enemy");
        adjust("lubien", 104);
        win("enemy", "lubien");
        draw("lubien", "enemy");
        voidMatch("m-1", "enemy", "lubien", WIN, 3);
        voidMatch("m-1", "lubien", "enemy", LOSS, 0);
        List<PlayerMatchesPage> before = List.of(matches("lubien", 0, 10), matches("enemy", 0, 10));
        long entriesBefore = entries.count();

        feed.rebuild();

        assertThat(List.of(matches("lubien", 0, 10), matches("enemy", 0, 10))).isEqualTo(before);
        assertThat(entries.count()).isEqualTo(entriesBefore);
    }

    @Test
    void queriesAreAnsweredThroughAxonsQueryBus() {
        register("lubien");
        register("enemy");
        win("enemy", "lubien");
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(this.queries).subscribe(bus);
        QueryGateway queries = DefaultQueryGateway.builder().queryBus(bus).build();

        assertThat(queries.query(
                                new PlayerMatchesQuery("lubien", 0, 5),
                                ResponseTypes.optionalInstanceOf(PlayerMatchesPage.class))
                        .join())
                .map(PlayerMatchesPage::total)
                .contains(1L);
        assertThat(queries.query(
                                new PointsAsOfQuery("enemy", Instant.parse("2999-01-01T00:00:00Z")),
                                ResponseTypes.optionalInstanceOf(PointsAsOf.class))
                        .join())
                .map(PointsAsOf::points)
                .contains(3L);
        assertThat(queries.query(
                                new PointsAsOfQuery("nobody", Instant.now()),
                                ResponseTypes.optionalInstanceOf(PointsAsOf.class))
                        .join())
                .isEmpty();
    }

    @Test
    void theIndexesSeekAPlayersMatchesAndTheirTotalAtAnInstant() {
        assertThat(indexColumns("LEDGER_ENTRY_MATCHES")).containsExactly("PLAYER_ID ASC", "MATCH_NUMBER DESC");
        assertThat(indexColumns("LEDGER_ENTRY_AS_OF"))
                .containsExactly("PLAYER_ID ASC", "RECORDED_AT DESC", "SEQUENCE DESC");
    }

    private List<String> indexColumns(String index) {
        return jdbc.queryForList("""
                select c.column_name || ' ' || c.ordering_specification
                from information_schema.index_columns c
                where c.table_name = 'LEDGER_ENTRY' and c.index_name = ?
                order by c.ordinal_position""", String.class, index);
    }

    private TrackedEventMessage<?> register(String playerId) {
        totals.put(playerId, 0L);
        // The history keeps no names: a name of the first version, unsealed, does for it.
        return feed.publish(playerId, new PlayerRegistered(playerId, SealedName.plain(playerId)));
    }

    private List<TrackedEventMessage<?>> win(String winner, String loser) {
        matchesPlayed++;
        return List.of(recordMatch(winner, loser, WIN, 3), recordMatch(loser, winner, LOSS, 0));
    }

    private List<TrackedEventMessage<?>> draw(String first, String second) {
        matchesPlayed++;
        return List.of(recordMatch(first, second, DRAW, 1), recordMatch(second, first, DRAW, 1));
    }

    private TrackedEventMessage<?> recordMatch(String playerId, String opponentId, MatchResult result, int points) {
        long totalAfter = totals.merge(playerId, (long) points, Long::sum);
        return feed.publish(
                playerId,
                new MatchRecorded(playerId, "m-" + matchesPlayed, opponentId, result, points, totalAfter, PLAYED));
    }

    private TrackedEventMessage<?> voidMatch(
            String matchId, String playerId, String opponentId, MatchResult result, int awarded) {
        long totalAfter = totals.merge(playerId, (long) -awarded, Long::sum);
        return feed.publish(
                playerId, new MatchVoided(playerId, matchId, opponentId, result, -awarded, "bugged map", totalAfter));
    }

    private TrackedEventMessage<?> adjust(String playerId, int points) {
        long totalAfter = totals.merge(playerId, (long) points, Long::sum);
        return feed.publish(
                playerId, new PointsAdjusted(playerId, "a-" + playerId + "-" + totalAfter, points, "test", totalAfter));
    }

    private PlayerMatchesPage matches(String playerId, int page, int size) {
        return queries.handle(new PlayerMatchesQuery(playerId, page, size)).orElseThrow();
    }

    private List<String> matchIds(String playerId, int page, int size) {
        return matches(playerId, page, size).items().stream()
                .map(PlayerMatch::matchId)
                .toList();
    }

    private long pointsAsOf(String playerId, Instant asOf) {
        return queries.handle(new PointsAsOfQuery(playerId, asOf)).orElseThrow().points();
    }
}
