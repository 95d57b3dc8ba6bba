package io.matchledger.projections.webhooks;

import io.matchledger.projections.LeaderboardOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The webhooks' processor's own standings, and the top N it watches in each scope ({@link #ALL_TIME} or a season id),
 * in the leaderboard's order: points descending, then who reached them first ({@code reached_at}), then the player id
 * (the order of {@code Ranking}). All time, a total is reached when the player's
 * own event that changed it was recorded; in a season, at the latest recording that moved the season's total, or the
 * first match in it (as the season standings reckon it, ADR 0013). The processor runs in one segment and reads the
 * events in order, so these tables follow the ledger exactly, whatever the read models' processes and segments do.
 * <p>
 * A top N's membership is stored as last notified. After each change (a match, a void, an adjustment, a registration)
 * the members are compared with the leaderboard only when the change can matter: the top holds fewer than N, or a
 * player the change moved is a member, or now stands ahead of the last member. Otherwise the top N is unchanged: only
 * a moved player can pass another.
 */
final class TopBoards {

    static final String ALL_TIME = "*";

    private static final String ORDER = " order by " + LeaderboardOrder.sql("");

    /** A player's place in a scope: the leaderboard's three keys. */
    record Standing(String playerId, long points, long reachedAt) {

        static final Comparator<Standing> LEADERBOARD =
                LeaderboardOrder.comparator(Standing::points, Standing::reachedAt, Standing::playerId);
    }

    /** A player who entered ({@code entered}) or left a top N, with their rank and points after the change. */
    record Move(String playerId, boolean entered, long rank, long points) {}

    private final JdbcTemplate jdbc;

    TopBoards(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A registered player stands at 0 on the all-time leaderboard, reached when they registered. */
    void register(String playerId, long at) {
        if (jdbc.update(
                        "update webhook_standing set points = points where scope = ? and player_id = ?",
                        ALL_TIME,
                        playerId)
                == 0) {
            insert(ALL_TIME, playerId, 0, at, at);
        }
    }

    /** A change of a player's all-time total by their own event, recorded at {@code at}. */
    void allTime(String playerId, long delta, long at) {
        if (delta == 0) {
            return;
        }
        if (jdbc.update(
                        "update webhook_standing set points = points + ?, changed_at = ?, reached_at = ? "
                                + "where scope = ? and player_id = ?",
                        delta,
                        at,
                        at,
                        ALL_TIME,
                        playerId)
                == 0) {
            insert(ALL_TIME, playerId, delta, at, at);
        }
    }

    /** A match counted in a season (or its void), recorded at {@code at}: as the season standings count it. */
    void season(String seasonId, String playerId, long delta, long at) {
        int changed = jdbc.update(
                "update webhook_standing set points = points + ?, entered_at = least(entered_at, ?), "
                        + "changed_at = case when ? <> 0 then greatest(changed_at, ?) else changed_at end "
                        + "where scope = ? and player_id = ?",
                delta,
                at,
                delta,
                at,
                seasonId,
                playerId);
        if (changed == 0) {
            insert(seasonId, playerId, delta, at, delta != 0 ? at : 0);
            return;
        }
        jdbc.update(
                "update webhook_standing set reached_at = greatest(entered_at, changed_at) "
                        + "where scope = ? and player_id = ?",
                seasonId,
                playerId);
    }

    private void insert(String scope, String playerId, long points, long enteredAt, long changedAt) {
        jdbc.update(
                "insert into webhook_standing (scope, player_id, points, entered_at, changed_at, reached_at) "
                        + "values (?, ?, ?, ?, ?, ?)",
                scope,
                playerId,
                points,
                enteredAt,
                changedAt,
                Math.max(enteredAt, changedAt));
    }

    /** The groups (scope, N) watched now. */
    List<List<Object>> groups() {
        return jdbc.query(
                "select scope, top_n from webhook_top_group", (row, n) -> List.of(row.getString(1), row.getInt(2)));
    }

    /** Starts watching a top N as it stands now, silently: its members did not enter, they were there. */
    void watch(String scope, int topN) {
        jdbc.update("insert into webhook_top_group (scope, top_n) values (?, ?)", scope, topN);
        List<String> top = top(scope, topN).stream().map(Standing::playerId).toList();
        jdbc.batchUpdate(
                "insert into webhook_top_member (scope, top_n, player_id) values (?, ?, ?)",
                top,
                top.size(),
                (sql, playerId) -> {
                    sql.setString(1, scope);
                    sql.setInt(2, topN);
                    sql.setString(3, playerId);
                });
    }

    void unwatch(String scope, int topN) {
        jdbc.update("delete from webhook_top_member where scope = ? and top_n = ?", scope, topN);
        jdbc.update("delete from webhook_top_group where scope = ? and top_n = ?", scope, topN);
    }

    /**
     * Who entered and who left the top N of {@code scope} since it was last compared, after a change that moved
     * {@code moved}; the stored membership follows. Empty when nothing changed.
     */
    List<Move> compare(String scope, int topN, Set<String> moved) {
        if (!mayHaveChanged(scope, topN, moved)) {
            return List.of();
        }
        List<Standing> top = top(scope, topN);
        Set<String> now = new LinkedHashSet<>();
        top.forEach(standing -> now.add(standing.playerId()));
        Set<String> before = new LinkedHashSet<>(jdbc.queryForList(
                "select player_id from webhook_top_member where scope = ? and top_n = ?", String.class, scope, topN));
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            Standing standing = top.get(i);
            if (!before.contains(standing.playerId())) {
                moves.add(new Move(standing.playerId(), true, i + 1L, standing.points()));
                jdbc.update(
                        "insert into webhook_top_member (scope, top_n, player_id) values (?, ?, ?)",
                        scope,
                        topN,
                        standing.playerId());
            }
        }
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(now);
        Collections.sort(gone);
        for (String playerId : gone) {
            Standing standing = standing(scope, playerId);
            moves.add(new Move(playerId, false, rank(scope, standing), standing.points()));
            jdbc.update(
                    "delete from webhook_top_member where scope = ? and top_n = ? and player_id = ?",
                    scope,
                    topN,
                    playerId);
        }
        return moves;
    }

    /** False only when no moved player is a member or now ahead of the last member, and the top N is full. */
    private boolean mayHaveChanged(String scope, int topN, Set<String> moved) {
        List<Standing> members = jdbc.query(
                "select s.player_id, s.points, s.reached_at from webhook_top_member m join webhook_standing s "
                        + "on s.scope = m.scope and s.player_id = m.player_id where m.scope = ? and m.top_n = ?",
                (row, n) -> new Standing(row.getString(1), row.getLong(2), row.getLong(3)),
                scope,
                topN);
        if (members.size() < topN) {
            return !moved.isEmpty();
        }
        Standing last = Collections.max(members, Standing.LEADERBOARD);
        for (String playerId : moved) {
            if (members.stream().anyMatch(member -> member.playerId().equals(playerId))) {
                return true;
            }
            Standing standing = standing(scope, playerId);
            if (standing != null && Standing.LEADERBOARD.compare(standing, last) < 0) {
                return true;
            }
        }
        return false;
    }

    private List<Standing> top(String scope, int topN) {
        return jdbc.query(
                "select player_id, points, reached_at from webhook_standing where scope = ?" + ORDER + " limit ?",
                (row, n) -> new Standing(row.getString(1), row.getLong(2), row.getLong(3)),
                scope,
                topN);
    }

    private Standing standing(String scope, String playerId) {
        return jdbc
                .query(
                        "select player_id, points, reached_at from webhook_standing where scope = ? and player_id = ?",
                        (row, n) -> new Standing(row.getString(1), row.getLong(2), row.getLong(3)),
                        scope,
                        playerId)
                .stream()
                .findFirst()
                .orElse(null);
    }

    private long rank(String scope, Standing standing) {
        return 1
                + jdbc.queryForObject(
                        "select count(*) from webhook_standing where scope = ? and (points > ? "
                                + "or (points = ? and reached_at < ?) "
                                + "or (points = ? and reached_at = ? and player_id < ?))",
                        Long.class,
                        scope,
                        standing.points(),
                        standing.points(),
                        standing.reachedAt(),
                        standing.points(),
                        standing.reachedAt(),
                        standing.playerId());
    }
}
