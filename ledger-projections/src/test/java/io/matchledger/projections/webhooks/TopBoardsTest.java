package io.matchledger.projections.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.MigratedH2;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who enters and who leaves a top N, on the migrated schema, with the instants chosen so that ties are exact: the
 * leaderboard's order decides (points, then who reached them first, then the id), a player is pushed out by another's
 * change, and a change that cannot reach the top N is not even compared (ADR 0017).
 */
// On a migrated H2 of its own per test, without Spring (MigratedH2).
class TopBoardsTest {

    final MigratedH2 db = MigratedH2.fresh();
    final TopBoards boards = new TopBoards(db.jdbc);

    @Test
    void tiesAreBrokenByWhoReachedTheTotalFirstThenByIdAndOthersArePushedOut() {
        boards.register("a", 1);
        boards.register("b", 2);
        boards.register("c", 3);
        boards.watch(TopBoards.ALL_TIME, 2);

        boards.allTime("c", 3, 10);
        assertThat(compare("c")).containsExactly("entered c #1 3", "left b #3 0");

        boards.allTime("b", 3, 11);
        assertThat(compare("b"))
                .as("level with c on 3 points, reached later: second")
                .containsExactly("entered b #2 3", "left a #3 0");

        boards.allTime("a", 3, 11);
        assertThat(compare("a"))
                .as("level with b, reached in the same millisecond: the smaller id goes first")
                .containsExactly("entered a #2 3", "left b #3 3");

        boards.register("d", 20);
        assertThat(compare("d")).as("a new player at 0 is behind the top 2").isEmpty();
        boards.allTime("b", -3, 30);
        assertThat(compare("b")).as("b, outside, loses points: nothing changes").isEmpty();
    }

    @Test
    void aSeasonCountsFromAPlayersFirstMatchInItAndAVoidGivesThePlaceBack() {
        boards.watch("s1", 1);
        boards.season("s1", "x", 3, 100);
        boards.season("s1", "y", 0, 100);
        assertThat(boards.compare("s1", 1, Set.of("x", "y")).stream().map(TopBoardsTest::describe))
                .containsExactly("entered x #1 3");

        boards.season("s1", "y", 3, 200);
        boards.season("s1", "x", 0, 200);
        assertThat(boards.compare("s1", 1, Set.of("x", "y")))
                .as("y reached 3 later than x")
                .isEmpty();

        boards.season("s1", "x", -3, 300);
        assertThat(boards.compare("s1", 1, Set.of("x")).stream().map(TopBoardsTest::describe))
                .containsExactly("entered y #1 3", "left x #2 0");
    }

    @Test
    void aPlayerTheBoardsHaveNotSeenGetsTheirRowAtTheirFirstChange() {
        boards.register("a", 1);
        boards.watch(TopBoards.ALL_TIME, 2);

        // Registered before the boards were kept: their first change is their whole row.
        boards.allTime("z", 5, 10);
        assertThat(compare("z")).containsExactly("entered z #1 5");
        boards.allTime("z", 0, 11);
        boards.allTime("z", -2, 12);
        assertThat(compare("z")).isEmpty();
        assertThat(db.jdbc.queryForList("select points from webhook_standing where player_id = 'z'", Long.class))
                .containsExactly(3L);
    }

    @Test
    void aSeasonTotalIsReachedWhenItLastChangedNotWhenAZeroPointMatchCountedLater() {
        boards.watch("s1", 1);
        boards.season("s1", "x", 3, 200);
        boards.season("s1", "y", 3, 150);
        assertThat(boards.compare("s1", 1, Set.of("x", "y")).stream().map(TopBoardsTest::describe))
                .containsExactly("entered y #1 3");

        // A loss of x's, recorded before x's win but counted after it: x has been on 3 since 200 all the same.
        boards.season("s1", "x", 0, 100);
        assertThat(boards.compare("s1", 1, Set.of("x"))).isEmpty();
        boards.season("s1", "y", -3, 300);
        assertThat(boards.compare("s1", 1, Set.of("y")).stream().map(TopBoardsTest::describe))
                .containsExactly("entered x #1 3", "left y #2 0");
    }

    private List<String> compare(String moved) {
        return boards.compare(TopBoards.ALL_TIME, 2, Set.of(moved)).stream()
                .map(TopBoardsTest::describe)
                .toList();
    }

    private static String describe(TopBoards.Move move) {
        return (move.entered() ? "entered " : "left ") + move.playerId() + " #" + move.rank() + " " + move.points();
    }
}
