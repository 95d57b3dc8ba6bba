package io.matchledger.projections;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The leaderboard order, stated once: points descending, then who reached that total first ({@code reached_at}
 * ascending, see {@link PlayerStanding}), then the player id. A player's rank is one more than the players ahead of
 * them in it. Every query that orders or ranks standings takes its order from here ({@link Ranking},
 * the webhooks' {@code TopBoards}), and so do the indexes of the migrations
 * ({@code player_standing_leaderboard}, {@code season_standing_leaderboard}). {@code RankingTest} checks the queries
 * against {@link #comparator} over random standings full of ties, so the SQL and the Java cannot drift apart.
 */
public final class LeaderboardOrder {

    private LeaderboardOrder() {}

    /** The order in SQL over a standings table's {@code points}, {@code reached_at} and {@code player_id}. */
    public static String sql(String alias) {
        return alias + "points desc, " + alias + "reached_at asc, " + alias + "player_id asc";
    }

    /** The order backwards (the last player first), for walking the index from the bottom. */
    public static String reversedSql(String alias) {
        return alias + "points asc, " + alias + "reached_at desc, " + alias + "player_id desc";
    }

    /** The order in Java, over anything with the three keys. */
    public static <T> Comparator<T> comparator(
            ToLongFunction<T> points, ToLongFunction<T> reachedAt, Function<T, String> playerId) {
        return Comparator.comparingLong(points)
                .reversed()
                .thenComparingLong(reachedAt)
                .thenComparing(playerId);
    }

    /**
     * Which key puts one player ahead of another: {@code points}, {@code reachedFirst} or {@code playerId} (the
     * first key, in order, on which they differ).
     */
    public static String decidedBy(long points, long reachedAt, long otherPoints, long otherReachedAt) {
        if (points != otherPoints) {
            return "points";
        }
        if (reachedAt != otherReachedAt) {
            return "reachedFirst";
        }
        return "playerId";
    }
}
