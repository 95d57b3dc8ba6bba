package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.LedgerScript.Written;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.MatchView;
import io.matchledger.projections.api.PlayerMatch;
import io.matchledger.projections.api.PlayerMatchesQuery;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.api.PointsAsOfQuery;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A match is written on three streams: each player's ledger and the match's own. With the read models' processor
 * split into segments by stream, the two ledgers of one match are handled by different segments, in either order, and
 * any of them may come again after a crash. Whatever the order and however often, the standings, the histories, the
 * matches and the tally answer the same.
 */
// On a migrated H2 without Spring (MigratedH2), the repositories over it without a context too: each event commits
// on its own, as in an event processor, and queries read what was committed.
class TwoLedgersTest {

    static MigratedH2 db;

    final JdbcTemplate jdbc = db.jdbc;
    final PlatformTransactionManager transactionManager = db.transactions;
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final ObjectProvider<EventStore> noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
    final StandingsProjection standings = new StandingsProjection(db.dataSource, personal, noStore);
    final StandingsQueries standingsQueries = new StandingsQueries(db.dataSource);
    final HistoryProjection history = new HistoryProjection(db.dataSource, noStore);
    final HistoryQueries historyQueries = new HistoryQueries(
            db.repository(PlayerHistoryRepository.class), db.repository(LedgerEntryRepository.class));
    final MatchesProjection matches = new MatchesProjection(db.dataSource, noStore);
    final MatchQueries matchQueries = new MatchQueries(db.repository(MatchRecordRepository.class));

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    LedgerScript ledger;

    @BeforeEach
    void emptyLedger() {
        for (String table : List.of(
                "season_tally",
                "season_standing",
                "season",
                "match_record",
                "ledger_entry",
                "player_history",
                "points_tally",
                "player_standing")) {
            jdbc.update("delete from " + table);
        }
        ledger = new LedgerScript(personal, transactionManager, standings, history, matches);
        for (String player : List.of("ann", "bob", "cid")) {
            ledger.register(player, player.toUpperCase());
        }
    }

    @Test
    void theSecondPlayersLedgerFirstGivesWhatTheFirstPlayersFirstGives() {
        List<Written> match = ledger.holding().win("m-1", "ann", "bob", time(0));
        ledger.held();
        deliver(match.get(1), match.get(2), match.get(0));
        Answers reversed = answers();

        emptyLedger();
        List<Written> inOrder = ledger.holding().win("m-1", "ann", "bob", time(0));
        ledger.held();
        deliver(inOrder.get(0), inOrder.get(1), inOrder.get(2));

        assertThat(answers()).isEqualTo(reversed);
        assertThat(player("ann")).isEqualTo(new PlayerView("ann", "ANN", 3, 1, 0, 0, 1, 1));
        assertThat(player("bob")).isEqualTo(new PlayerView("bob", "BOB", 0, 0, 0, 1, 1, 2));
        assertTallyCountsTheStandings();
    }

    @Test
    void manyMatchesDeliveredSegmentBySegmentGiveWhatTheStoresOrderGives() {
        ledger.holding();
        play();
        List<Written> written = ledger.held();
        written.forEach(ledger::deliver);
        Answers inOrder = answers();

        for (long seed = 1; seed <= 3; seed++) {
            emptyLedger();
            ledger.holding();
            play();
            List<Written> shuffled = new ArrayList<>(ledger.held());
            // Two segments by stream: each keeps its streams' order, and they interleave as they please.
            List<Written> even = new ArrayList<>();
            List<Written> odd = new ArrayList<>();
            for (Written event : shuffled) {
                String stream =
                        event.messages().get(0) instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : "";
                (Math.floorMod(stream.hashCode(), 2) == 0 ? even : odd).add(event);
            }
            Random random = new Random(seed);
            while (!even.isEmpty() || !odd.isEmpty()) {
                List<Written> next = even.isEmpty() ? odd : odd.isEmpty() ? even : random.nextBoolean() ? even : odd;
                ledger.deliver(next.remove(0));
            }
            assertThat(answers()).as("seed %d", seed).isEqualTo(inOrder);
        }
        assertTallyCountsTheStandings();
    }

    @Test
    void everyEventDeliveredTwiceChangesNothing() {
        ledger.holding();
        play();
        List<Written> written = ledger.held();
        written.forEach(ledger::deliver);
        Answers once = answers();
        List<Map<String, Object>> rows = allRows();

        written.forEach(ledger::deliver);
        List<Written> backwards = new ArrayList<>(written);
        Collections.reverse(backwards);
        backwards.forEach(ledger::deliver);

        assertThat(answers()).isEqualTo(once);
        assertThat(allRows()).isEqualTo(rows);
        assertTallyCountsTheStandings();
    }

    @Test
    void aVoidOnOneLedgerFirstAndTheOtherLaterEndsWhereBothTogetherEnd() {
        ledger.win("m-1", "ann", "bob", time(0));
        ledger.draw("m-2", "bob", "cid", time(0));
        List<Written> voided = ledger.holding().voidMatch("m-1");
        ledger.held();

        ledger.deliver(voided.get(1));
        assertThat(player("bob")).isEqualTo(new PlayerView("bob", "BOB", 1, 0, 1, 0, 1, 2));
        assertThat(player("ann").points()).as("ann's ledger not yet voided").isEqualTo(3);
        assertTallyCountsTheStandings();
        ledger.deliver(voided.get(2));
        ledger.deliver(voided.get(0));

        assertThat(player("ann")).isEqualTo(new PlayerView("ann", "ANN", 0, 0, 0, 0, 0, 3));
        assertThat(match("m-1").voided()).isTrue();
        assertThat(historyOf("ann")).extracting(PlayerMatch::voided).containsExactly(true);
        assertThat(board()).extracting(LeaderboardEntry::playerId).containsExactly("bob", "cid", "ann");
        assertTallyCountsTheStandings();
    }

    @Test
    void anErasedPlayersMatchesStayButTheirNameIsTheNeutralLabelEverywhere() {
        ledger.win("m-1", "ann", "bob", time(0));
        ledger.draw("m-2", "ann", "cid", time(0));
        ledger.adjust("ann", "a-1", 10);

        Written erased = ledger.erase("ann");

        assertThat(player("ann")).isEqualTo(new PlayerView("ann", LedgerRules.ERASED_LABEL, 14, 1, 1, 0, 2, 1));
        assertThat(board().get(0).name()).isEqualTo(LedgerRules.ERASED_LABEL);
        assertThat(historyOf("ann")).hasSize(2);
        assertThat(historyOf("bob")).extracting(PlayerMatch::opponentId).containsExactly("ann");
        assertThat(match("m-1").players()).extracting(MatchView.Side::playerId).containsExactly("ann", "bob");
        assertThat(allRows().toString()).doesNotContain("ANN");
        ledger.redeliver(erased);
        assertThat(player("ann").name()).isEqualTo(LedgerRules.ERASED_LABEL);
        // A rebuild reads the registration again, and its sealed name opens no more.
        ledger.feed(0).rebuild();
        assertThat(player("ann").name()).isEqualTo(LedgerRules.ERASED_LABEL);
        assertThat(player("bob").name()).isEqualTo("BOB");
        assertTallyCountsTheStandings();
    }

    @Test
    void theTallyCountsThePlayersAtEachTotalAsTotalsMove() {
        assertThat(tally()).containsExactly(List.of(0L, 3L));
        ledger.win("m-1", "ann", "bob", time(0));
        assertThat(tally()).containsExactly(List.of(0L, 2L), List.of(3L, 1L));
        ledger.draw("m-2", "bob", "cid", time(0));
        assertThat(tally()).containsExactly(List.of(1L, 2L), List.of(3L, 1L));
        ledger.adjust("cid", "a-1", 2);
        assertThat(tally()).containsExactly(List.of(1L, 1L), List.of(3L, 2L));
        ledger.voidMatch("m-1");
        assertThat(tally()).containsExactly(List.of(0L, 1L), List.of(1L, 1L), List.of(3L, 1L));
        assertTallyCountsTheStandings();
    }

    @Test
    void pointsAsOfAnInstantFollowTheLedgerWhateverOrderTheLedgersArrivedIn() {
        List<Written> first = ledger.holding().win("m-1", "ann", "bob", time(0));
        List<Written> second = ledger.win("m-2", "bob", "ann", time(0));
        ledger.held();
        // Bob's ledger (one segment) before ann's (another), then the matches' own streams: each stream in order.
        deliver(first.get(1), second.get(0), first.get(0), second.get(1), first.get(2), second.get(2));

        assertThat(pointsOf("ann", first.get(0).recordedAt().minusMillis(1))).isZero();
        assertThat(pointsOf("ann", first.get(0).recordedAt())).isEqualTo(3);
        assertThat(pointsOf("bob", second.get(0).recordedAt())).isEqualTo(3);
        assertThat(pointsOf("ann", second.get(2).recordedAt())).isEqualTo(3);
        assertThat(historyOf("ann"))
                .extracting(PlayerMatch::matchId, PlayerMatch::result)
                .containsExactly(tuple("m-2", MatchResult.LOSS), tuple("m-1", MatchResult.WIN));
    }

    /** A few players, matches of every kind, a void and an adjustment. */
    private void play() {
        ledger.win("m-1", "ann", "bob", time(0));
        ledger.draw("m-2", "bob", "cid", time(0));
        ledger.win("m-3", "cid", "ann", time(0));
        ledger.adjust("bob", "a-1", 5);
        ledger.win("m-4", "ann", "cid", time(0));
        ledger.voidMatch("m-3");
        ledger.draw("m-5", "ann", "bob", time(0));
    }

    private void deliver(Written... written) {
        for (Written event : written) {
            ledger.deliver(event);
        }
    }

    /** What the queries answer about everyone. */
    record Answers(
            List<PlayerView> players, List<LeaderboardEntry> board, List<Object> histories, List<MatchView> matches) {}

    private Answers answers() {
        List<PlayerView> players = new ArrayList<>();
        List<Object> histories = new ArrayList<>();
        for (String player : List.of("ann", "bob", "cid")) {
            players.add(player(player));
            // Without the instants: the same ledgers delivered in another order are recorded at other positions.
            histories.add(historyOf(player).stream()
                    .map(m -> List.of(m.matchId(), m.opponentId(), m.result(), m.points(), m.totalAfter(), m.voided()))
                    .toList());
        }
        List<MatchView> listed = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            matchQueries.handle(new FindMatchQuery("m-" + i)).ifPresent(listed::add);
        }
        return new Answers(players, board(), histories, listed);
    }

    private PlayerView player(String playerId) {
        return standingsQueries.handle(new FindPlayerQuery(playerId)).orElseThrow();
    }

    private List<LeaderboardEntry> board() {
        return standingsQueries.handle(new LeaderboardQuery(0, 100)).items();
    }

    private List<PlayerMatch> historyOf(String playerId) {
        return historyQueries
                .handle(new PlayerMatchesQuery(playerId, 0, 100))
                .orElseThrow()
                .items();
    }

    private MatchView match(String matchId) {
        return matchQueries.handle(new FindMatchQuery(matchId)).orElseThrow();
    }

    private long pointsOf(String playerId, Instant asOf) {
        return historyQueries
                .handle(new PointsAsOfQuery(playerId, asOf))
                .orElseThrow()
                .points();
    }

    private List<List<Long>> tally() {
        return jdbc.query(
                "select points, players from points_tally where players <> 0 order by points",
                (row, n) -> List.of(row.getLong(1), row.getLong(2)));
    }

    private List<Map<String, Object>> allRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(jdbc.queryForList("select * from player_standing order by player_id"));
        rows.addAll(jdbc.queryForList("select * from points_tally where players <> 0 order by points"));
        rows.addAll(jdbc.queryForList("select * from ledger_entry order by player_id, sequence"));
        rows.addAll(jdbc.queryForList("select * from player_history order by player_id"));
        rows.addAll(jdbc.queryForList("select * from match_record order by match_id"));
        return rows;
    }

    private void assertTallyCountsTheStandings() {
        assertThat(tally())
                .isEqualTo(jdbc.query(
                        "select points, count(*) from player_standing group by points order by points",
                        (row, n) -> List.of(row.getLong(1), row.getLong(2))));
    }
}
