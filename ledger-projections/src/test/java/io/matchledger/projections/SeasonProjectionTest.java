package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.LedgerScript.Written;
import io.matchledger.projections.api.ExplainQuery;
import io.matchledger.projections.api.Explanation;
import io.matchledger.projections.api.FindSeasonQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.PlayerMatch;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.api.SeasonAroundQuery;
import io.matchledger.projections.api.SeasonCorrection;
import io.matchledger.projections.api.SeasonLeaderboardQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonMatchesQuery;
import io.matchledger.projections.api.SeasonPlayerQuery;
import io.matchledger.projections.api.SeasonView;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Seasons as the read models keep them, fed the events the ledger writes: where a match lands (its {@code occurredAt}
 * in a window), whether it counts (recorded before the close) or is a correction, voids in and after the grace, a
 * season defined or moved after its matches, one ended early, a seal, redeliveries, and the season's standings, tally,
 * "current" and "why am I #N" answers. "Now" is Axon's event clock, held still by the test.
 */
// On a migrated H2 without Spring (MigratedH2): each event commits on its own, as in an event processor, and queries
// read what was committed.
class SeasonProjectionTest {

    static final SeasonWindow ONE = TwoSeasons.ONE;
    static final SeasonWindow TWO = TwoSeasons.TWO;

    static MigratedH2 db;

    final JdbcTemplate jdbc = db.jdbc;
    final PlatformTransactionManager transactionManager = db.transactions;
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final ObjectProvider<EventStore> noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
    final MatchesProjection matches = new MatchesProjection(db.dataSource, noStore);
    final StandingsProjection standings = new StandingsProjection(db.dataSource, personal, noStore);
    final HistoryProjection history = new HistoryProjection(db.dataSource, noStore);
    final SeasonQueries seasons = new SeasonQueries(db.dataSource, db.repository(LedgerEntryRepository.class));

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    LedgerScript ledger;
    Clock originalClock;

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
        originalClock = GenericEventMessage.clock;
        now(time(10));
        ledger = new LedgerScript(personal, transactionManager, matches, standings, history);
        ledger.at(1);
        for (String player : List.of("ann", "bob", "cid", "dan")) {
            ledger.register(player, player.toUpperCase());
        }
        ledger.at(10);
    }

    @AfterEach
    void releaseTheClock() {
        GenericEventMessage.clock = originalClock;
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
        assertThat(player("s1", "cid"))
                .as("a loss and a draw in the season")
                .isEqualTo(new PlayerView("cid", "CID", 1, 0, 1, 1, 2, 3));
        assertThat(season("s1").players()).isEqualTo(3);
        assertThat(season("s2").players()).isEqualTo(2);
        assertThat(seasonOf("m-start")).isEqualTo("s1");
        assertThat(seasonOf("m-last")).isEqualTo("s1");
        assertThat(seasonOf("m-end")).isEqualTo("s2");
        assertThat(seasonOf("m-before")).isNull();
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aSeasonDefinedAfterItsMatchesPlacesThemAsIfItHadBeenThereFirst() {
        TwoSeasons.play(ledger, false);
        List<LeaderboardEntry> one = board("s1");
        List<LeaderboardEntry> two = board("s2");
        List<PlayerView> players = List.of(player("s1", "ann"), player("s1", "bob"), player("s2", "cid"));
        List<Map<String, Object>> placed = placements();

        emptyLedger();
        TwoSeasons.play(ledger, true);

        assertThat(board("s1")).isEqualTo(one);
        assertThat(board("s2")).isEqualTo(two);
        assertThat(List.of(player("s1", "ann"), player("s1", "bob"), player("s2", "cid")))
                .isEqualTo(players);
        assertThat(placements()).isEqualTo(placed);
        assertThat(one)
                .extracting(LeaderboardEntry::playerId, LeaderboardEntry::points)
                .startsWith(tuple("ann", 3L));
        assertThat(two).extracting(LeaderboardEntry::playerId).startsWith("cid");
        assertThat(placed).extracting(row -> row.get("SEASON_ID")).containsExactly("s1", "s1", "s2", null);
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aSeasonDefinedInTheBatchOfItsMatchesCountsEachMatchOnce() {
        ledger.feed(0).hold(); // the matches' projection: one processor batch from here
        ledger.win("m-before", "ann", "bob", time(500));
        ledger.defineSeasons(ONE);
        ledger.draw("m-after", "cid", "dan", time(600));
        ledger.feed(0).release();

        assertThat(board("s1"))
                .extracting(LeaderboardEntry::playerId, LeaderboardEntry::points)
                .containsExactlyInAnyOrder(tuple("ann", 3L), tuple("cid", 1L), tuple("dan", 1L), tuple("bob", 0L));
        assertThat(seasonOf("m-before")).isEqualTo("s1");
        assertThat(seasonOf("m-after")).isEqualTo("s1");
    }

    @Test
    void aSeasonMovedBeforeItStartsTakesTheMatchesOfItsNewWindowOnly() {
        SeasonWindow later = new SeasonWindow("s1", "Season one", time(300), time(1_000), Duration.ofSeconds(100));
        ledger.defineSeasons(ONE);
        ledger.win("m-early", "ann", "bob", time(100));
        ledger.win("m-late", "cid", "dan", time(400));
        assertThat(board("s1")).extracting(LeaderboardEntry::playerId).containsExactly("ann", "cid", "bob", "dan");

        ledger.defineSeasons(later);

        assertThat(board("s1")).extracting(LeaderboardEntry::playerId).containsExactly("cid", "dan");
        assertThat(seasonOf("m-early")).isNull();
        assertThat(season("s1").start()).isEqualTo(time(300));
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aMatchRecordedInTheGraceCountsAndOneRecordedAtOrAfterTheCloseIsACorrection() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-in", "ann", "bob", time(500));
        ledger.at(1_050).win("m-grace", "bob", "ann", time(900)); // recorded in the grace
        // Settled (the match's own event, third of three) exactly at the close: late.
        ledger.at(1_098).win("m-at-close", "cid", "dan", time(950));
        ledger.at(1_200).win("m-after", "dan", "cid", time(960));

        assertThat(board("s1"))
                .containsExactly(
                        new LeaderboardEntry(1, "ann", "ANN", 3, 2), new LeaderboardEntry(2, "bob", "BOB", 3, 2));
        SeasonView corrected =
                seasons.handle(new FindSeasonQuery("s1", time(1_300), true)).orElseThrow();
        assertThat(corrected.correctionCount()).isEqualTo(2);
        assertThat(corrected.corrections())
                .containsExactly(
                        new SeasonCorrection("LATE_MATCH", "m-after", "dan", "cid", time(1_200 + 2)),
                        new SeasonCorrection("LATE_MATCH", "m-at-close", "cid", "dan", time(1_100)));
        assertThat(seasons.handle(new FindSeasonQuery("s1", time(1_300), false))
                        .orElseThrow()
                        .corrections())
                .isEmpty();
        assertThat(seasonOf("m-at-close")).isEqualTo("s1");
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aVoidInTheGraceUncountsTheMatchAndAVoidAfterTheCloseIsACorrectionThatChangesNothing() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-voided", "ann", "bob", time(100));
        ledger.win("m-kept", "cid", "dan", time(200));
        ledger.at(1_050).voidMatch("m-voided"); // in the grace: the season no longer counts it
        // At 0: bob and dan since their matches (bob's total never moved), ann only since the void.
        assertThat(board("s1")).extracting(LeaderboardEntry::playerId).containsExactly("cid", "bob", "dan", "ann");
        assertThat(board("s1")).extracting(LeaderboardEntry::points).containsExactly(3L, 0L, 0L, 0L);
        assertThat(player("s1", "ann")).isEqualTo(new PlayerView("ann", "ANN", 0, 0, 0, 0, 0, 4));

        ledger.at(1_150).voidMatch("m-kept"); // after the close: shown, still counted

        assertThat(board("s1")).extracting(LeaderboardEntry::points).containsExactly(3L, 0L, 0L, 0L);
        assertThat(player("s1", "cid")).isEqualTo(new PlayerView("cid", "CID", 3, 1, 0, 0, 1, 1));
        SeasonView corrected =
                seasons.handle(new FindSeasonQuery("s1", time(1_300), true)).orElseThrow();
        assertThat(corrected.corrections())
                .containsExactly(new SeasonCorrection("LATE_VOID", "m-kept", "cid", "dan", time(1_150 + 2)));
        // The all-time standings take both voids.
        assertThat(ledger.total("cid")).isZero();
        assertTalliesCountTheSeasonStandings();

        // Defined again, the seasons' matches are placed again from their rows: the late void stays a correction.
        ledger.defineSeasons(ONE, TWO);
        assertThat(seasons.handle(new FindSeasonQuery("s1", time(1_300), true))
                        .orElseThrow()
                        .corrections())
                .isEqualTo(corrected.corrections());
        assertThat(player("s1", "cid")).isEqualTo(new PlayerView("cid", "CID", 3, 1, 0, 0, 1, 1));
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aSeasonEndedEarlyLosesTheMatchesPlayedAfterItsNewEnd() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-before", "ann", "bob", time(100));
        ledger.win("m-after", "cid", "dan", time(600));
        now(time(500));

        ledger.endEarly("s1", time(500), ONE.end());

        assertThat(board("s1")).extracting(LeaderboardEntry::playerId).containsExactly("ann", "bob");
        assertThat(seasonOf("m-after")).isNull();
        SeasonView ended = season("s1");
        assertThat(ended.end()).isEqualTo(time(500));
        assertThat(ended.plannedEnd()).isEqualTo(ONE.end());
        assertThat(ended.closesAt()).isEqualTo(time(600));
        assertThat(ended.endedEarlyReason()).isEqualTo("the server was wiped");
        assertThat(ended.status()).isEqualTo("grace");
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aSeasonsStatusFollowsTheClockUntilItIsSealed() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));

        now(ONE.start().minusMillis(1));
        assertThat(season("s1").status()).isEqualTo("scheduled");
        assertThat(list().current()).isNull();
        now(ONE.start());
        assertThat(season("s1").status()).isEqualTo("running");
        assertThat(list().current()).isEqualTo("s1");
        now(ONE.end().minusMillis(1));
        assertThat(season("s1").status()).isEqualTo("running");
        now(ONE.end());
        assertThat(season("s1").status()).isEqualTo("grace");
        assertThat(list().current()).isEqualTo("s2");
        now(ONE.closesAt().minusMillis(1));
        assertThat(season("s1").status()).isEqualTo("grace");
        now(ONE.closesAt());
        assertThat(season("s1").status()).isEqualTo("closed");
        assertThat(season("s1").seal()).isNull();
        now(TWO.end());
        assertThat(list().current()).isNull();

        SeasonSeal seal = new SeasonSeal("s1", "v1", 3, 14, 6, 1, "e".repeat(64), 2, "s".repeat(64));
        Written sealed = ledger.at(1_200).seal(seal);

        SeasonView view = season("s1");
        assertThat(view.status()).isEqualTo("sealed");
        assertThat(view.seal()).isEqualTo(seal);
        assertThat(view.sealedAt()).isEqualTo(sealed.recordedAt());
        assertThat(list().items()).extracting(SeasonView::seasonId).containsExactly("s1", "s2");
        ledger.redeliver(sealed);
        assertThat(season("s1")).isEqualTo(view);
    }

    @Test
    void currentIsTheSeasonWhoseWindowHoldsTheInstantAsked() {
        ledger.defineSeasons(ONE, TWO);

        assertThat(seasons.handle(new FindSeasonQuery(LedgerRules.CURRENT_SEASON, time(999), false)))
                .map(SeasonView::seasonId)
                .contains("s1");
        assertThat(seasons.handle(new FindSeasonQuery(LedgerRules.CURRENT_SEASON, time(1_000), false)))
                .map(SeasonView::seasonId)
                .contains("s2");
        assertThat(seasons.handle(new FindSeasonQuery(LedgerRules.CURRENT_SEASON, time(2_000), false)))
                .isEmpty();
        assertThat(seasons.handle(new FindSeasonQuery("nope", time(10), false))).isEmpty();
    }

    @Test
    void redeliveredMatchesVoidsAndDefinitionsChangeNothing() {
        Written defined = ledger.defineSeasons(ONE, TWO);
        List<Written> first = ledger.win("m-1", "ann", "bob", time(100));
        List<Written> second = ledger.draw("m-2", "cid", "ann", time(200));
        List<Written> voided = ledger.at(1_050).voidMatch("m-2");
        List<Written> late = ledger.at(1_150).win("m-3", "dan", "bob", time(300));
        List<Map<String, Object>> before = seasonRows();

        for (List<Written> written : List.of(first, second, voided, late)) {
            written.forEach(ledger::redeliver);
        }
        // Checked before the definition comes again: its redelivery places every match afresh from the table, and
        // would hide a match counted twice.
        assertThat(seasonRows()).isEqualTo(before);
        ledger.redeliver(defined);

        assertThat(seasonRows()).isEqualTo(before);
        assertThat(board("s1"))
                .containsExactly(
                        new LeaderboardEntry(1, "ann", "ANN", 3, 1),
                        new LeaderboardEntry(2, "bob", "BOB", 0, 1),
                        // cid's only match was voided in the grace: nothing counted, the row stays at 0.
                        new LeaderboardEntry(3, "cid", "CID", 0, 0));
        assertTalliesCountTheSeasonStandings();
    }

    @Test
    void aRebuildGivesTheSameSeasonsBack() {
        ledger.win("m-0", "ann", "bob", time(50));
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "cid", time(100));
        ledger.draw("m-2", "cid", "dan", time(200));
        ledger.win("m-3", "bob", "dan", time(1_200));
        ledger.at(1_050).voidMatch("m-1");
        ledger.at(1_150).win("m-late", "dan", "ann", time(900));
        ledger.voidMatch("m-2");
        ledger.seal(new SeasonSeal("s1", "v1", 0, 0, 0, 0, "0".repeat(64), 0, "0".repeat(64)));
        List<Map<String, Object>> before = seasonRows();
        SeasonView s1 = season("s1");

        ledger.feed(0).rebuild();

        assertThat(seasonRows()).isEqualTo(before);
        assertThat(season("s1")).isEqualTo(s1);
    }

    @Test
    void aPlayerWithoutAMatchInTheSeasonStandsAfterEveryoneWhoHasOne() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.draw("m-2", "cid", "bob", time(200));

        assertThat(player("s1", "dan")).isEqualTo(new PlayerView("dan", "DAN", 0, 0, 0, 0, 0, 4));
        assertThat(seasons.handle(new SeasonPlayerQuery("s1", "nobody"))).isEmpty();
        LeaderboardPage around =
                seasons.handle(new SeasonAroundQuery("s1", "dan", 1)).orElseThrow();
        assertThat(around.items())
                .containsExactly(
                        new LeaderboardEntry(3, "cid", "CID", 1, 1), new LeaderboardEntry(4, "dan", "DAN", 0, 0));
        assertThat(around.offset()).isEqualTo(2);
        assertThat(around.limit()).as("one above, the player, one below").isEqualTo(3);
        assertThat(around.total()).isEqualTo(3);
        assertThat(seasons.handle(new SeasonAroundQuery("s1", "nobody", 1))).isEmpty();
        LeaderboardPage aroundCid =
                seasons.handle(new SeasonAroundQuery("s1", "cid", 1)).orElseThrow();
        assertThat(aroundCid.items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("bob", "cid"); // both reached 1 with one match: the id decides
        assertThat(player("s2", "ann")).isEqualTo(new PlayerView("ann", "ANN", 0, 0, 0, 0, 0, 1));
    }

    @Test
    void aPlayersMatchesInASeasonArePagedNewestFirstWithinItsWindow() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.draw("m-2", "bob", "ann", time(200));
        ledger.adjust("ann", "a-1", 5); // not a match
        ledger.win("m-3", "ann", "cid", time(300));
        ledger.win("m-4", "ann", "dan", ONE.end()); // season two's
        ledger.win("m-0", "dan", "ann", ONE.start().minusNanos(1)); // before both

        PlayerMatchesPage first = seasonMatches("ann", 0, 2);

        assertThat(first.playerId()).isEqualTo("ann");
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.items())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("recordedAt")
                .containsExactly(
                        new PlayerMatch("m-3", "cid", MatchResult.WIN, 3, 12, false, time(300), null),
                        new PlayerMatch("m-2", "bob", MatchResult.DRAW, 1, 4, false, time(200), null));
        assertThat(seasonMatches("ann", 1, 2).items())
                .extracting(PlayerMatch::matchId)
                .containsExactly("m-1");
        assertThat(seasonMatches("ann", 2, 2).items()).isEmpty();
        PlayerMatchesPage empty = seasonMatches("ann", 0, 0);
        assertThat(empty.items()).isEmpty();
        assertThat(empty.total()).isEqualTo(3);
        PlayerMatchesPage negative = seasonMatches("ann", -1, -1);
        assertThat(negative.page()).isZero();
        assertThat(negative.size()).isZero();
        assertThat(seasons.handle(new SeasonMatchesQuery("ann", ONE.end(), TWO.end(), 0, 10))
                        .orElseThrow()
                        .items())
                .extracting(PlayerMatch::matchId)
                .containsExactly("m-4");
        PlayerMatchesPage none = seasonMatches("cid", 0, 10);
        assertThat(none.total()).isEqualTo(1);
        assertThat(seasonMatches("dan", 0, 10).total()).isZero();
        assertThat(seasons.handle(new SeasonMatchesQuery("nobody", ONE.start(), ONE.end(), 0, 10)))
                .isEmpty();
        assertThat(seasons.handle(new ExplainQuery("ann", null)).orElseThrow().entries())
                .extracting(Explanation.Entry::kind, Explanation.Entry::adjustmentId, Explanation.Entry::points)
                .contains(tuple("ADJUSTMENT", "a-1", 5));
    }

    @Test
    void aLaterSeasonEndedEarlyClosesAfterItsOwnGraceAndAnUnknownOneCannotEnd() {
        SeasonWindow two = new SeasonWindow("s2", "Season two", time(1_000), time(2_000), Duration.ofSeconds(200));
        ledger.defineSeasons(ONE, two);
        ledger.win("m-1", "ann", "bob", time(1_600));

        ledger.endEarly("s2", time(1_500), two.end());

        assertThat(season("s2").closesAt()).isEqualTo(time(1_700));
        assertThat(season("s1").end()).isEqualTo(ONE.end());
        assertThat(board("s2")).isEmpty();
        assertThatThrownBy(() -> ledger.endEarly("nope", time(1_500), two.end()))
                .hasMessageContaining("no season nope to end");
    }

    private PlayerMatchesPage seasonMatches(String playerId, int page, int size) {
        return seasons.handle(new SeasonMatchesQuery(playerId, ONE.start(), ONE.end(), page, size))
                .orElseThrow();
    }

    @Test
    void aSeasonLeaderboardPagesInRankOrder() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.win("m-2", "cid", "dan", time(110));
        ledger.win("m-3", "ann", "dan", time(120));

        LeaderboardPage all = seasons.handle(new SeasonLeaderboardQuery("s1", 0, 10));
        assertThat(all.total()).isEqualTo(4);
        assertThat(all.items()).extracting(LeaderboardEntry::playerId).containsExactly("ann", "cid", "bob", "dan");
        LeaderboardPage middle = seasons.handle(new SeasonLeaderboardQuery("s1", 1, 2));
        assertThat(middle.items()).isEqualTo(all.items().subList(1, 3));
        assertThat(middle.offset()).isEqualTo(1);
        assertThat(middle.limit()).isEqualTo(2);
        assertThat(seasons.handle(new SeasonLeaderboardQuery("s1", 0, 0)).items())
                .isEmpty();
        assertThat(seasons.handle(new SeasonLeaderboardQuery("s1", -5, 1)).items())
                .extracting(LeaderboardEntry::playerId)
                .containsExactly("ann");
        assertThat(seasons.handle(new SeasonLeaderboardQuery("s2", 0, 10)).total())
                .isZero();
    }

    @Test
    void whyAmINthInASeasonListsTheCountedMatchesAndWhatDecidedEachNeighbour() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "bob", "cid", time(100)); // bob reaches 3 first
        ledger.win("m-2", "ann", "dan", time(110)); // ann reaches 3 later
        ledger.draw("m-3", "cid", "dan", time(120));
        ledger.at(1_150).win("m-late", "ann", "cid", time(130)); // a correction: not listed

        Explanation ann = seasons.handle(new ExplainQuery("ann", "s1")).orElseThrow();

        assertThat(ann.rank()).isEqualTo(2);
        assertThat(ann.points()).isEqualTo(3);
        assertThat(ann.entries())
                .extracting(
                        Explanation.Entry::kind,
                        Explanation.Entry::matchId,
                        Explanation.Entry::result,
                        Explanation.Entry::points)
                .containsExactly(tuple("MATCH", "m-2", "WIN", 3));
        assertThat(ann.entryCount()).as("the late match is not counted").isEqualTo(1);
        assertThat(ann.above().playerId()).isEqualTo("bob");
        assertThat(ann.above().rank()).isEqualTo(1);
        assertThat(ann.above().decidedBy()).isEqualTo("reachedFirst");
        assertThat(ann.below().playerId()).isEqualTo("cid");
        assertThat(ann.below().rank()).isEqualTo(3);
        assertThat(ann.below().decidedBy()).isEqualTo("points");
        assertThat(seasons.handle(new ExplainQuery("nobody", "s1"))).isEmpty();
        Explanation allTime = seasons.handle(new ExplainQuery("ann", null)).orElseThrow();
        assertThat(allTime.points()).isEqualTo(6);
        assertThat(allTime.entryCount()).isEqualTo(2);
        assertThat(allTime.entries())
                .extracting(Explanation.Entry::kind, Explanation.Entry::matchId, Explanation.Entry::points)
                .containsExactly(tuple("MATCH", "m-2", 3), tuple("MATCH", "m-late", 3));
        assertThat(allTime.above()).isNull();
    }

    @Test
    void aVoidedMatchInTheSeasonIsListedWithItsVoidInWhyAmINth() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.win("m-2", "ann", "bob", time(110));
        ledger.voidMatch("m-1");

        Explanation ann = seasons.handle(new ExplainQuery("ann", "s1")).orElseThrow();

        assertThat(ann.points()).isEqualTo(3);
        assertThat(ann.entries())
                .extracting(Explanation.Entry::kind, Explanation.Entry::matchId, Explanation.Entry::points)
                .containsExactlyInAnyOrder(
                        tuple("MATCH", "m-1", 3), tuple("VOID", "m-1", -3), tuple("MATCH", "m-2", 3));
        assertThat(ann.entries().stream().mapToInt(Explanation.Entry::points).sum())
                .isEqualTo(3);
    }

    @Test
    void aVoidAfterTheCloseIsNotListedInWhyAmINthAndCorrectionsAreNewestFirstWhateverTheirKind() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.at(1_150).voidMatch("m-1"); // after the close: still counted
        ledger.at(1_200).win("m-late", "cid", "dan", time(200)); // recorded after the close

        Explanation ann = seasons.handle(new ExplainQuery("ann", "s1")).orElseThrow();

        assertThat(ann.points()).isEqualTo(3);
        assertThat(ann.entries()).extracting(Explanation.Entry::kind).containsExactly("MATCH");
        assertThat(seasons.handle(new FindSeasonQuery("s1", time(1_300), true))
                        .orElseThrow()
                        .corrections())
                .extracting(SeasonCorrection::kind, SeasonCorrection::matchId)
                .containsExactly(tuple("LATE_MATCH", "m-late"), tuple("LATE_VOID", "m-1"));
    }

    @Test
    void anErasedPlayerStandsInTheSeasonUnderTheNeutralLabel() {
        ledger.defineSeasons(ONE, TWO);
        ledger.win("m-1", "ann", "bob", time(100));

        ledger.erase("ann");

        assertThat(board("s1").get(0)).isEqualTo(new LeaderboardEntry(1, "ann", LedgerRules.ERASED_LABEL, 3, 1));
        assertThat(player("s1", "ann").name()).isEqualTo(LedgerRules.ERASED_LABEL);
        assertThat(player("s2", "ann").name()).isEqualTo(LedgerRules.ERASED_LABEL);
    }

    private void now(Instant instant) {
        GenericEventMessage.clock = Clock.fixed(instant, ZoneOffset.UTC);
    }

    private SeasonView season(String seasonId) {
        return seasons.handle(new FindSeasonQuery(seasonId, null, false)).orElseThrow();
    }

    private SeasonList list() {
        return seasons.handle(new ListSeasonsQuery());
    }

    private List<LeaderboardEntry> board(String seasonId) {
        return seasons.handle(new SeasonLeaderboardQuery(seasonId, 0, 100)).items();
    }

    private PlayerView player(String seasonId, String playerId) {
        return seasons.handle(new SeasonPlayerQuery(seasonId, playerId)).orElseThrow();
    }

    private String seasonOf(String matchId) {
        return jdbc.queryForObject("select season_id from match_record where match_id = ?", String.class, matchId);
    }

    private List<Map<String, Object>> placements() {
        return jdbc.queryForList(
                "select match_id, season_id, season_late, void_late, voided from match_record order by match_id");
    }

    private List<Map<String, Object>> seasonRows() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        rows.addAll(jdbc.queryForList("select * from season order by season_id"));
        rows.addAll(jdbc.queryForList("select * from season_standing order by season_id, player_id"));
        rows.addAll(jdbc.queryForList("select * from season_tally where players <> 0 order by season_id, points"));
        rows.addAll(jdbc.queryForList(
                "select match_id, season_id, season_late, void_late, voided from match_record " + "order by match_id"));
        return rows;
    }

    /** The tally counts, for each season and total, the players the season's standings have at that total. */
    private void assertTalliesCountTheSeasonStandings() {
        assertThat(jdbc.queryForList("select season_id, points, players from season_tally where players <> 0 "
                        + "order by season_id, points"))
                .isEqualTo(jdbc.queryForList("select season_id, points, count(*) as players from season_standing "
                        + "group by season_id, points order by season_id, points"));
    }
}
