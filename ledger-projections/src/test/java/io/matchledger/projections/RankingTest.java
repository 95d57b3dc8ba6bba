package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link Ranking}'s queries against a model of the rule (points descending, then who reached the total first, then the
 * id), for all time and for a season beside another, on standings full of ties so that every tie-break decides some
 * pair; and H2's plans for them: each walks the leaderboard's index instead of sorting the scope.
 */
class RankingTest {

    record Row(String playerId, long points, long reachedAt) {}

    /** The rule in Java, which the SQL of every ordered query below must follow. */
    static final Comparator<Row> ORDER = LeaderboardOrder.comparator(Row::points, Row::reachedAt, Row::playerId);

    static MigratedH2 db;
    final JdbcTemplate jdbc = db.jdbc;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    List<Row> allTime;
    List<Row> season;

    @BeforeEach
    void standingsFullOfTies() {
        for (String table : List.of("season_standing", "season_tally", "player_standing", "points_tally")) {
            jdbc.update("delete from " + table);
        }
        Random random = new Random(15);
        allTime = new ArrayList<>();
        season = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String id = "p-" + (char) ('a' + random.nextInt(26)) + i;
            Row all = new Row(id, random.nextInt(8), random.nextInt(4));
            allTime.add(all);
            jdbc.update(
                    "insert into player_standing (player_id, name, points, wins, draws, losses, matches, reached_at, "
                            + "last_sequence) values (?, ?, ?, 0, 0, 0, 1, ?, 0)",
                    id,
                    "Name " + id,
                    all.points(),
                    all.reachedAt());
            if (i % 3 != 0) {
                season.add(seasonRow("s1", new Row(id, random.nextInt(6), random.nextInt(3))));
            }
            if (i % 2 == 0) {
                // Another season's rows, which must not show in s1.
                seasonRow("s0", new Row(id, random.nextInt(20), random.nextInt(3)));
            }
        }
        tally("points_tally (points, players, version) values (?, ?, 0)", allTime);
        tally("season_tally (season_id, points, players) values ('s1', ?, ?)", season);
        allTime.sort(ORDER);
        season.sort(ORDER);
    }

    private Row seasonRow(String seasonId, Row row) {
        jdbc.update(
                "insert into season_standing (season_id, player_id, points, wins, draws, losses, matches, entered_at, "
                        + "changed_at, reached_at) values (?, ?, ?, 0, 0, 0, 1, 0, 0, ?)",
                seasonId,
                row.playerId(),
                row.points(),
                row.reachedAt());
        return row;
    }

    private void tally(String into, List<Row> rows) {
        Map<Long, Long> players =
                rows.stream().collect(Collectors.groupingBy(Row::points, TreeMap::new, Collectors.counting()));
        players.forEach((points, count) -> jdbc.update("insert into " + into, points, count));
    }

    /** The contract's rule, written out: the Java form that the queries are checked against is that rule. */
    @Test
    void theOrderIsMorePointsThenWhoReachedThemFirstThenTheId() {
        Row most = new Row("z", 9, 50);
        Row earlier = new Row("y", 5, 10);
        Row sameInstantSmallerId = new Row("a", 5, 20);
        Row sameInstantLargerId = new Row("b", 5, 20);
        Row fewest = new Row("c", 1, 0);
        List<Row> rows = new ArrayList<>(List.of(fewest, sameInstantLargerId, sameInstantSmallerId, earlier, most));
        rows.sort(ORDER);
        assertThat(rows).containsExactly(most, earlier, sameInstantSmallerId, sameInstantLargerId, fewest);
        assertThat(LeaderboardOrder.decidedBy(9, 50, 5, 10)).isEqualTo("points");
        assertThat(LeaderboardOrder.decidedBy(5, 10, 5, 20)).isEqualTo("reachedFirst");
        assertThat(LeaderboardOrder.decidedBy(5, 20, 5, 20)).isEqualTo("playerId");
    }

    @Test
    void allTimeFollowsTheRule() {
        follows(Ranking.allTime(jdbc), allTime);
    }

    @Test
    void aSeasonFollowsTheRuleAndHoldsItsOwnRowsOnly() {
        follows(Ranking.season(jdbc, "s1"), season);
    }

    private static void follows(Ranking ranking, List<Row> model) {
        assertThat(ranking.players()).isEqualTo(model.size());
        assertThat(ids(ranking.page(0, model.size() + 5)))
                .isEqualTo(model.stream().map(Row::playerId).toList());
        assertThat(ids(ranking.page(17, 11))).isEqualTo(ids(model.subList(17, 28)));
        assertThat(ids(ranking.last(4))).isEqualTo(ids(model.subList(model.size() - 4, model.size())));
        for (int i = 0; i < model.size(); i++) {
            StandingRow standing = ranking.find(model.get(i).playerId()).orElseThrow();
            assertThat(standing.name()).isEqualTo("Name " + standing.playerId());
            assertThat(ranking.rank(standing))
                    .as("rank of %s", standing.playerId())
                    .isEqualTo(i + 1);
            List<String> ahead = new ArrayList<>();
            for (int j = i - 1; j >= Math.max(0, i - 3); j--) {
                ahead.add(model.get(j).playerId());
            }
            assertThat(ids(ranking.ahead(standing, 3)))
                    .as("ahead of %s", standing.playerId())
                    .isEqualTo(ahead);
            assertThat(ids(ranking.behind(standing, 3)))
                    .as("behind %s", standing.playerId())
                    .isEqualTo(ids(model.subList(i + 1, Math.min(model.size(), i + 4))));
            // Around-me: the same rows and ranks as the page at that offset.
            LeaderboardPage around = ranking.around(standing, 2);
            int from = Math.max(0, i - 2);
            assertThat(around.offset()).isEqualTo(from);
            assertThat(around.total()).isEqualTo(model.size());
            assertThat(around.items().stream().map(LeaderboardEntry::playerId).toList())
                    .as("around %s", standing.playerId())
                    .isEqualTo(ids(model.subList(from, Math.min(model.size(), i + 3))));
            assertThat(around.items().stream().map(LeaderboardEntry::rank).toList())
                    .isEqualTo(LongStream.rangeClosed(from + 1, Math.min(model.size(), i + 3))
                            .boxed()
                            .toList());
        }
    }

    @Test
    void h2WalksTheLeaderboardIndexForEveryOrderedQuery() {
        for (Ranking ranking : List.of(Ranking.allTime(jdbc), Ranking.season(jdbc, "s1"))) {
            Row last = season.get(season.size() - 1);
            assertThat(plan(ranking.pageSql(), 20, 0)).contains("index sorted");
            assertThat(plan(ranking.lastSql(), 5)).contains("index sorted");
            Object[] level = {last.points(), last.reachedAt(), last.reachedAt(), last.playerId(), 3};
            assertThat(plan(ranking.levelAheadSql(), level)).contains("index sorted");
            assertThat(plan(ranking.levelBehindSql(), level)).contains("index sorted");
            assertThat(plan(ranking.higherSql(), last.points(), 3)).contains("index sorted");
            assertThat(plan(ranking.lowerSql(), last.points(), 3)).contains("index sorted");
        }
    }

    private String plan(String sql, Object... args) {
        List<Object> all = new ArrayList<>();
        if (sql.contains("s.season_id = ?")) {
            all.add("s1");
        }
        all.addAll(List.of(args));
        return jdbc.queryForObject("explain " + sql, String.class, all.toArray());
    }

    private static List<String> ids(List<?> rows) {
        return rows.stream()
                .map(row -> row instanceof Row r ? r.playerId() : ((StandingRow) row).playerId())
                .toList();
    }
}
