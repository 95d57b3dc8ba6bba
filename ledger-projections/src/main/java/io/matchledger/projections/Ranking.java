package io.matchledger.projections;

import io.matchledger.projections.api.LeaderboardPage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The leaderboard order ({@link LeaderboardOrder}) over one scope of standings (all time, or one season), in SQL: pages,
 * ranks and the neighbours of a player; the index {@code season_standing_leaderboard} (V5) follows the same order.
 * Each query seeks that index on its leading columns, as there, so its cost follows the rows it returns. A season's
 * queries name {@code season_id} first in their order too: H2 walks an index for an order only when the order starts
 * at the index's first column, and sorted a whole season for a page without it (docs/performance.md, "Figures behind
 * the code's choices").
 */
final class Ranking {

    private final JdbcTemplate jdbc;
    private final String select;
    private final String counted;
    private final String tallies;
    private final String forward;
    private final String backward;
    private final Object[] scopeArgs;

    private Ranking(
            JdbcTemplate jdbc, String select, String counted, String tallies, String scopeColumn, Object... scopeArgs) {
        this.jdbc = jdbc;
        this.select = select;
        this.counted = counted;
        this.tallies = tallies;
        this.forward = " order by " + (scopeColumn == null ? "" : scopeColumn + ", ") + LeaderboardOrder.sql("s.");
        this.backward = " order by " + (scopeColumn == null ? "" : scopeColumn + " desc, ")
                + LeaderboardOrder.reversedSql("s.");
        this.scopeArgs = scopeArgs;
    }

    static Ranking allTime(JdbcTemplate jdbc) {
        return new Ranking(
                jdbc,
                "select " + StandingRow.columns("s.") + " from player_standing s where 1 = 1",
                "select count(*) from player_standing s where 1 = 1",
                "select coalesce(sum(players), 0) from points_tally where 1 = 1",
                null);
    }

    static Ranking season(JdbcTemplate jdbc, String seasonId) {
        // Without the names: a join made H2 sort the whole season for a page instead of walking its index; they
        // are read after, by id ({@link #named}).
        return new Ranking(
                jdbc,
                "select s.player_id, null, s.points, s.wins, s.draws, s.losses, s.matches, s.reached_at, 0 "
                        + "from season_standing s where s.season_id = ?",
                "select count(*) from season_standing s where s.season_id = ?",
                "select coalesce(sum(players), 0) from season_tally where season_id = ?",
                "s.season_id",
                seasonId);
    }

    Optional<StandingRow> find(String playerId) {
        return named(jdbc.query(select + " and s.player_id = ?", StandingRow.MAPPER, args(playerId))).stream()
                .findFirst();
    }

    /** The players' names, from the all-time standings, where the scope's rows have none. */
    private List<StandingRow> named(List<StandingRow> rows) {
        if (rows.isEmpty() || rows.stream().allMatch(row -> row.name() != null)) {
            return rows;
        }
        Map<String, String> names = new HashMap<>();
        List<String> ids = rows.stream().map(StandingRow::playerId).toList();
        jdbc.query(
                "select player_id, name from player_standing where player_id in ("
                        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")",
                row -> {
                    names.put(row.getString(1), row.getString(2));
                },
                ids.toArray());
        return rows.stream().map(row -> row.named(names.get(row.playerId()))).toList();
    }

    long players() {
        return jdbc.queryForObject(tallies, Long.class, scopeArgs);
    }

    long rank(StandingRow standing) {
        return 1
                + jdbc.queryForObject(tallies + " and points > ?", Long.class, args(standing.points()))
                + count("s.points = ? and s.reached_at < ?", standing.points(), standing.reachedAt())
                + count(
                        "s.points = ? and s.reached_at = ? and s.player_id < ?",
                        standing.points(),
                        standing.reachedAt(),
                        standing.playerId());
    }

    List<StandingRow> page(int offset, int limit) {
        return named(jdbc.query(pageSql(), StandingRow.MAPPER, args(limit, offset)));
    }

    /**
     * The page around a standing: up to {@code radius} players ahead and behind, the same rows and ranks as {@link
     * #page} at that offset would give, found by seeking from the player both ways rather than skipping from the top.
     */
    LeaderboardPage around(StandingRow standing, int radius) {
        long rank = rank(standing);
        List<StandingRow> above = radius == 0 ? List.of() : ahead(standing, radius);
        List<StandingRow> below = radius == 0 ? List.of() : behind(standing, radius);
        List<StandingRow> rows = new ArrayList<>(above);
        Collections.reverse(rows);
        rows.add(standing);
        rows.addAll(below);
        long offset = rank - 1 - above.size();
        long limit = Math.min(Integer.MAX_VALUE, above.size() + 1L + radius);
        return pageOf((int) offset, (int) limit, rows);
    }

    /** Rows in leaderboard order from {@code offset} as a page: ranks by position, the scope's players as total. */
    LeaderboardPage pageOf(int offset, int limit, List<StandingRow> rows) {
        return new LeaderboardPage(
                offset,
                limit,
                players(),
                IntStream.range(0, rows.size())
                        .mapToObj(i -> rows.get(i).entry(offset + i + 1L))
                        .toList());
    }

    /** The last {@code limit} players, in leaderboard order: the index walked backwards, not an offset to the end. */
    List<StandingRow> last(int limit) {
        List<StandingRow> rows = new ArrayList<>(named(jdbc.query(lastSql(), StandingRow.MAPPER, args(limit))));
        Collections.reverse(rows);
        return rows;
    }

    String lastSql() {
        return select + backward + " limit ?";
    }

    String pageSql() {
        return select + forward + " limit ? offset ?";
    }

    /**
     * The players just ahead of a standing, nearest first: those level on points who reached them first (or at the
     * same instant with a smaller id), then, if too few, those with more points. Two queries, each a tight range of
     * the index walked backwards: one query with an OR over the three keys left the bound on {@code reached_at} out
     * of PostgreSQL's index condition and filtered the player's whole points group (docs/performance.md).
     */
    List<StandingRow> ahead(StandingRow standing, int limit) {
        List<StandingRow> found = new ArrayList<>(jdbc.query(
                levelAheadSql(),
                StandingRow.MAPPER,
                args(standing.points(), standing.reachedAt(), standing.reachedAt(), standing.playerId(), limit)));
        if (found.size() < limit) {
            found.addAll(jdbc.query(higherSql(), StandingRow.MAPPER, args(standing.points(), limit - found.size())));
        }
        return named(found);
    }

    /** The players just behind a standing, nearest first: the mirror of {@link #ahead}. */
    List<StandingRow> behind(StandingRow standing, int limit) {
        List<StandingRow> found = new ArrayList<>(jdbc.query(
                levelBehindSql(),
                StandingRow.MAPPER,
                args(standing.points(), standing.reachedAt(), standing.reachedAt(), standing.playerId(), limit)));
        if (found.size() < limit) {
            found.addAll(jdbc.query(lowerSql(), StandingRow.MAPPER, args(standing.points(), limit - found.size())));
        }
        return named(found);
    }

    String levelAheadSql() {
        return select + " and s.points = ? and s.reached_at <= ? and (s.reached_at < ? or s.player_id < ?)" + backward
                + " limit ?";
    }

    String higherSql() {
        return select + " and s.points > ?" + backward + " limit ?";
    }

    String levelBehindSql() {
        return select + " and s.points = ? and s.reached_at >= ? and (s.reached_at > ? or s.player_id > ?)" + forward
                + " limit ?";
    }

    String lowerSql() {
        return select + " and s.points < ?" + forward + " limit ?";
    }

    /**
     * What puts {@code first} ahead of {@code second} (first ranks higher): the same three keys, in order, as the
     * queries above.
     */
    static String decidedBy(StandingRow first, StandingRow second) {
        return LeaderboardOrder.decidedBy(first.points(), first.reachedAt(), second.points(), second.reachedAt());
    }

    private long count(String condition, Object... values) {
        return jdbc.queryForObject(counted + " and " + condition, Long.class, args(values));
    }

    private Object[] args(Object... values) {
        List<Object> all = new ArrayList<>(List.of(scopeArgs));
        all.addAll(List.of(values));
        return all.toArray();
    }
}
