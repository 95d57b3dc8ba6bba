package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Where a match lands in a season, on the matches projection's own writes ({@link MatchWrites}, {@link SeasonTables},
 * {@link SeasonStandings}) without Spring: fed by {@link LedgerScript} on a migrated H2 and read through the season's
 * {@link Ranking}. The same rules as {@code SeasonProjectionTest} (which reads through the season queries), here
 * fast enough for PIT to run per mutant: the window that holds {@code occurredAt}, a season defined after its
 * matches, the two ledgers of a match in either order, and redeliveries.
 */
class SeasonPlacementTest {

    static final SeasonWindow ONE = TwoSeasons.ONE;
    static final SeasonWindow TWO = TwoSeasons.TWO;

    static MigratedH2 db;

    LedgerScript ledger;
    Clock originalClock;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @BeforeEach
    void fourPlayers() {
        for (String table : List.of(
                "season_tally",
                "season_standing",
                "season",
                "match_record",
                "points_tally",
                "player_standing",
                "player_key")) {
            db.jdbc.update("delete from " + table);
        }
        originalClock = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.fixed(time(10), ZoneOffset.UTC);
        ledger = script(false);
    }

    @AfterEach
    void releaseTheClock() {
        GenericEventMessage.clock = originalClock;
    }

    private LedgerScript script(boolean holding) {
        PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
        var noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
        LedgerScript script = new LedgerScript(
                personal,
                db.transactions,
                new MatchesProjection(db.dataSource, noStore),
                new StandingsProjection(db.dataSource, personal, noStore));
        script.at(1);
        for (String player : List.of("ann", "bob", "cid", "dan")) {
            script.register(player, player.toUpperCase());
        }
        script.at(10);
        return holding ? script.holding() : script;
    }

    @Test
    void aMatchCountsInTheSeasonWhoseWindowHoldsWhenItWasPlayed() {
        ledger.defineSeasons(ONE, TWO);

        ledger.win("m-start", "ann", "bob", ONE.start());
        ledger.win("m-in", "bob", "cid", time(500));
        ledger.draw("m-last", "ann", "cid", ONE.end().minusNanos(1));
        ledger.win("m-end", "cid", "dan", ONE.end()); // the end is the next season's start
        ledger.win("m-before", "dan", "ann", ONE.start().minusNanos(1)); // no season

        assertThat(board("s1"))
                .containsExactly(
                        new LeaderboardEntry(1, "ann", "ANN", 4, 2),
                        new LeaderboardEntry(2, "bob", "BOB", 3, 2),
                        new LeaderboardEntry(3, "cid", "CID", 1, 2));
        assertThat(board("s2"))
                .containsExactly(
                        new LeaderboardEntry(1, "cid", "CID", 3, 1), new LeaderboardEntry(2, "dan", "DAN", 0, 1));
        assertThat(Ranking.season(db.jdbc, "s1").players()).isEqualTo(3);
        assertThat(Ranking.season(db.jdbc, "s2").players()).isEqualTo(2);
        assertThat(seasonOf("m-start")).isEqualTo("s1");
        assertThat(seasonOf("m-last")).isEqualTo("s1");
        assertThat(seasonOf("m-end")).isEqualTo("s2");
        assertThat(seasonOf("m-before")).isNull();
    }

    @Test
    void aSeasonDefinedAfterItsMatchesPlacesThemAsIfItHadBeenThereFirst() {
        TwoSeasons.play(ledger, true);
        List<LeaderboardEntry> one = board("s1");
        List<LeaderboardEntry> two = board("s2");
        List<Map<String, Object>> placed = placements();

        fourPlayers();
        TwoSeasons.play(ledger, false);

        assertThat(board("s1")).isEqualTo(one).isNotEmpty();
        assertThat(board("s2")).isEqualTo(two).isNotEmpty();
        assertThat(placements()).isEqualTo(placed);
        assertThat(placed).extracting(row -> row.get("SEASON_ID")).containsExactly("s1", "s1", "s2", null);
    }

    /**
     * Segments deliver a match's events in whatever order they reach them: the two players' ledgers and the match's
     * own stream, in order or backwards, end in the same season rows and placements.
     */
    @Test
    void theEventsOfAMatchInEitherOrderEndTheSame() {
        ledger.defineSeasons(ONE, TWO);
        LedgerScript held = ledger.holding();
        held.win("m-1", "ann", "bob", time(100));
        held.draw("m-2", "cid", "ann", time(300));
        held.win("m-3", "dan", "cid", time(1_200));
        List<LedgerScript.Written> written = held.held();
        written.forEach(ledger::deliver);
        List<Map<String, Object>> inOrder = seasonRows();
        List<Map<String, Object>> placed = placements();

        fourPlayers();
        ledger.defineSeasons(ONE, TWO);
        LedgerScript again = ledger.holding();
        again.win("m-1", "ann", "bob", time(100));
        again.draw("m-2", "cid", "ann", time(300));
        again.win("m-3", "dan", "cid", time(1_200));
        List<LedgerScript.Written> backwards = new ArrayList<>(again.held());
        Collections.reverse(backwards);
        backwards.forEach(ledger::deliver);

        assertThat(seasonRows()).isEqualTo(inOrder);
        assertThat(placements()).isEqualTo(placed);
        assertThat(board("s1")).extracting(LeaderboardEntry::playerId).containsExactly("ann", "cid", "bob");
    }

    @Test
    void redeliveredMatchesVoidsAndDefinitionsChangeNothing() {
        List<LedgerScript.Written> all = new ArrayList<>();
        all.add(ledger.defineSeasons(ONE, TWO));
        all.addAll(ledger.win("m-1", "ann", "bob", time(100)));
        all.addAll(ledger.draw("m-2", "bob", "cid", time(1_100)));
        all.addAll(ledger.voidMatch("m-1"));
        List<Map<String, Object>> rows = seasonRows();
        List<Map<String, Object>> placed = placements();

        all.forEach(ledger::redeliver);

        assertThat(seasonRows()).isEqualTo(rows);
        assertThat(placements()).isEqualTo(placed);
        assertThat(board("s2")).extracting(LeaderboardEntry::points).containsExactly(1L, 1L);
        assertThat(board("s1")).extracting(LeaderboardEntry::points).containsOnly(0L);
    }

    private List<LeaderboardEntry> board(String seasonId) {
        List<StandingRow> rows = Ranking.season(db.jdbc, seasonId).page(0, 100);
        return IntStream.range(0, rows.size())
                .mapToObj(i -> rows.get(i).entry(i + 1L))
                .toList();
    }

    private String seasonOf(String matchId) {
        return db.jdbc.queryForObject("select season_id from match_record where match_id = ?", String.class, matchId);
    }

    private List<Map<String, Object>> placements() {
        return db.jdbc.queryForList(
                "select match_id, season_id, season_late, void_late, voided from match_record order by match_id");
    }

    private List<Map<String, Object>> seasonRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(db.jdbc.queryForList("select * from season order by season_id"));
        rows.addAll(db.jdbc.queryForList("select * from season_standing order by season_id, player_id"));
        rows.addAll(db.jdbc.queryForList("select * from season_tally where players <> 0 order by season_id, points"));
        return rows;
    }
}
