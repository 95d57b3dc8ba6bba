package io.matchledger.projections;

import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.PlayerView;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.springframework.jdbc.core.RowMapper;

/**
 * One row of the standings ({@code player_standing} and its rebuild twin), the one place that names its columns and
 * maps them: {@link Ranking} reads rows with {@link #MAPPER}, {@link StandingsTables} reads with it and writes with
 * {@link #insertInto}/{@link #updateOf}. The rules that change a row are {@link PlayerStanding}'s.
 *
 * <p>{@code reachedAt} is when the ledger recorded the event that produced the current total (epoch milliseconds),
 * which is how the leaderboard tells who reached a total first ({@link LeaderboardOrder}). {@code lastSequence} is
 * the player's stream sequence of the last event applied. A season's rows ({@code season_standing}) are read in the
 * same shape: without a name of their own (read after, from the all-time row) and without a sequence (0).
 */
record StandingRow(
        String playerId,
        String name,
        long points,
        long wins,
        long draws,
        long losses,
        long matches,
        long reachedAt,
        long lastSequence) {

    /** The columns, in the order {@link #MAPPER} reads them and {@link #bindInsert} writes them. */
    static final String COLUMNS = "player_id, name, points, wins, draws, losses, matches, reached_at, last_sequence";

    /** Reads a row selected as {@link #COLUMNS} (or columns in that order). */
    static final RowMapper<StandingRow> MAPPER = (row, n) -> new StandingRow(
            row.getString(1),
            row.getString(2),
            row.getLong(3),
            row.getLong(4),
            row.getLong(5),
            row.getLong(6),
            row.getLong(7),
            row.getLong(8),
            row.getLong(9));

    /** {@link #COLUMNS} with an alias, for a query that names its table. */
    static String columns(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    /** An insert of whole rows into {@code table}, bound by {@link #bindInsert}. */
    static String insertInto(String table) {
        return "insert into " + table + " (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** An update of a row by its player id, bound by {@link #bindUpdate}. */
    static String updateOf(String table) {
        return "update " + table + " set name = ?, points = ?, wins = ?, draws = ?, losses = ?, matches = ?, "
                + "reached_at = ?, last_sequence = ? where player_id = ?";
    }

    /** Binds the row's values in {@link #COLUMNS}' order, for {@link #insertInto}. */
    void bindInsert(PreparedStatement sql) throws SQLException {
        sql.setString(1, playerId);
        bindValues(sql, 2);
    }

    /** Binds the row's values, the player id last, for {@link #updateOf}. */
    void bindUpdate(PreparedStatement sql) throws SQLException {
        bindValues(sql, 1);
        sql.setString(9, playerId);
    }

    private void bindValues(PreparedStatement sql, int first) throws SQLException {
        sql.setString(first, name);
        sql.setLong(first + 1, points);
        sql.setLong(first + 2, wins);
        sql.setLong(first + 3, draws);
        sql.setLong(first + 4, losses);
        sql.setLong(first + 5, matches);
        sql.setLong(first + 6, reachedAt);
        sql.setLong(first + 7, lastSequence);
    }

    StandingRow named(String shown) {
        return new StandingRow(playerId, shown, points, wins, draws, losses, matches, reachedAt, lastSequence);
    }

    PlayerView view(long rank) {
        return new PlayerView(playerId, name, points, wins, draws, losses, matches, rank);
    }

    LeaderboardEntry entry(long rank) {
        return new LeaderboardEntry(rank, playerId, name, points, matches);
    }
}
