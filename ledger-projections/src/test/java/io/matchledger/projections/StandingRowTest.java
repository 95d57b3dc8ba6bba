package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.MatchResult;
import java.util.Arrays;
import java.util.List;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one mapping of a standings row ({@link StandingRow}): its columns are the table's, and a row written by the
 * projection's writes ({@link StandingsTables}) reads back, column for column, through the leaderboard's reads
 * ({@link Ranking}). Every column holds a value of its own, so that two columns swapped in any mapping show.
 */
class StandingRowTest {

    static MigratedH2 db;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @Test
    void itsColumnsAreTheStandingsTablesColumns() {
        List<String> columns = Arrays.asList(StandingRow.COLUMNS.split(", "));
        for (String table : List.of("PLAYER_STANDING", "PLAYER_STANDING_REBUILD")) {
            List<String> actual = db.jdbc.queryForList(
                    "select lower(column_name) from information_schema.columns where table_name = ?",
                    String.class,
                    table);
            assertThat(actual).as(table).containsExactlyInAnyOrderElementsOf(columns);
        }
        assertThat(StandingRow.columns("s."))
                .startsWith("s.player_id, s.name, ")
                .endsWith(", s.last_sequence");
    }

    @Test
    void aRowWrittenByTheProjectionReadsBackColumnForColumnThroughTheLeaderboard() {
        StandingRow row = new StandingRow("written", "Written", 11, 4, 3, 2, 9, 1_234, 17);
        new StandingsTables(db.jdbc, TableSet.LIVE).add(new PlayerStanding(row));

        assertThat(Ranking.allTime(db.jdbc).find("written")).contains(row);
        assertThat(new StandingsTables(db.jdbc, TableSet.LIVE).find("written").map(PlayerStanding::row))
                .contains(row);
        assertThat(new StandingsTables(db.jdbc, TableSet.REBUILD).find("written"))
                .isEmpty();
    }

    @Test
    void aRowChangedInABatchIsUpdatedInEveryColumnWhenTheBatchCommits() {
        StandingRow before = new StandingRow("changed", "Changed", 5, 1, 2, 0, 3, 500, 4);
        new StandingsTables(db.jdbc, TableSet.LIVE).add(new PlayerStanding(before));

        // One processor batch: the row is read once, changed by each event, and written as the batch commits.
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("a batch"))
                .execute(() -> {
                    StandingsTables tables = new StandingsTables(db.jdbc, TableSet.LIVE);
                    PlayerStanding standing = tables.find("changed").orElseThrow();
                    standing.recordMatch(MatchResult.WIN, 3, 5, 600);
                    standing.rename("Changed Again", 6);
                    standing.recordMatch(MatchResult.LOSS, 0, 7, 700);
                    standing.recordMatch(MatchResult.DRAW, 1, 8, 800);
                    assertThat(Ranking.allTime(db.jdbc).find("changed")).contains(before);
                });

        assertThat(Ranking.allTime(db.jdbc).find("changed"))
                .contains(new StandingRow("changed", "Changed Again", 9, 2, 3, 1, 6, 800, 8));
    }

    @Test
    void aSeasonRowIsReadInTheSameShapeWithTheAllTimeNameAndNoSequence() {
        new StandingsTables(db.jdbc, TableSet.LIVE)
                .add(new PlayerStanding(new StandingRow("seasoned", "Seasoned", 30, 10, 0, 0, 10, 99, 40)));
        db.jdbc.update(
                "insert into season_standing (season_id, player_id, points, wins, draws, losses, matches, entered_at, "
                        + "changed_at, reached_at) values ('s-row', 'seasoned', 7, 2, 1, 3, 6, 1, 2, 3)");

        assertThat(Ranking.season(db.jdbc, "s-row").find("seasoned"))
                .contains(new StandingRow("seasoned", "Seasoned", 7, 2, 1, 3, 6, 3, 0));
        assertThat(Ranking.season(db.jdbc, "s-row").page(0, 5))
                .containsExactly(new StandingRow("seasoned", "Seasoned", 7, 2, 1, 3, 6, 3, 0));
    }

    @Test
    void aRowShowsAsThePlayerAndAsALeaderboardEntryAtTheRankGiven() {
        StandingRow row = new StandingRow("shown", "Shown", 8, 2, 2, 1, 5, 10, 3);

        assertThat(row.view(4))
                .isEqualTo(new io.matchledger.projections.api.PlayerView("shown", "Shown", 8, 2, 2, 1, 5, 4));
        assertThat(row.entry(2))
                .isEqualTo(new io.matchledger.projections.api.LeaderboardEntry(2, "shown", "Shown", 8, 5));
    }
}
