package io.matchledger.projections.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.autoconfigure.jdbc.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who enters and who leaves a top N, on the migrated schema, with the instants chosen so that ties are exact: the
 * leaderboard's order decides (points, then who reached them first, then the id), a player is pushed out by another's
 * change, and a change that cannot reach the top N is not even compared (ADR 0017).
 */
@JdbcTest
class TopBoardsTest {

    @SpringBootConfiguration
    static class Schema {}

    @Autowired
    JdbcTemplate jdbc;

    TopBoards boards;

    @BeforeEach
    void empty() {
        boards = new TopBoards(jdbc);
    }

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

    private List<String> compare(String moved) {
        return boards.compare(TopBoards.ALL_TIME, 2, Set.of(moved)).stream()
                .map(TopBoardsTest::describe)
                .toList();
    }

    private static String describe(TopBoards.Move move) {
        return (move.entered() ? "entered " : "left ") + move.playerId() + " #" + move.rank() + " " + move.points();
    }
}
