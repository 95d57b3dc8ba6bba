package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Season standings changed by one batch of matches: each (season, player) row the batch touches is read once, changed
 * in memory and written back in JDBC batches, with the season's tally of players per total, as {@link StandingsTables}
 * does for all time.
 * <p>
 * A season row's {@code reachedAt} says when its total was reached, for the same tie-break as all time. It must not
 * depend on the order a processor meets matches in (a season defined late counts its past matches all at once, from
 * the table), so it is a function of the counted matches alone: the latest recording instant among those that moved
 * the total ({@code changedAt}), or, for a player whose total never moved, their first match ({@code enteredAt}).
 */
final class SeasonStandings {

    record Key(String seasonId, String playerId) {}

    static final class Row {
        final Key key;
        long points;
        long wins;
        long draws;
        long losses;
        long matches;
        long enteredAt = Long.MAX_VALUE;
        long changedAt;
        final boolean stored;
        final long pointsBefore;

        Row(Key key, boolean stored, long points) {
            this.key = key;
            this.stored = stored;
            this.points = points;
            this.pointsBefore = points;
        }

        long reachedAt() {
            return Math.max(enteredAt, changedAt);
        }

        /** A match counted ({@code sign} 1) or no longer counted (-1), recorded or voided at {@code at}. */
        void count(MatchResult result, int awarded, int sign, long at) {
            switch (result) {
                case WIN -> wins += sign;
                case DRAW -> draws += sign;
                case LOSS -> losses += sign;
            }
            matches += sign;
            points += (long) sign * awarded;
            enteredAt = Math.min(enteredAt, at);
            if (awarded != 0) {
                changedAt = Math.max(changedAt, at);
            }
        }
    }

    private final JdbcTemplate jdbc;
    private final String standings;
    private final String tallies;
    private final Map<Key, Row> rows = new LinkedHashMap<>();
    private final Map<Key, Boolean> pending = new LinkedHashMap<>();
    private final List<Runnable> changes = new ArrayList<>();

    SeasonStandings(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.standings = tables.of(SeasonTables.STANDINGS);
        this.tallies = tables.of(SeasonTables.TALLIES);
    }

    /** One player's side of a match, counted (+1) or reversed (-1), applied when the batch writes. */
    void count(String seasonId, String playerId, MatchResult result, int points, int sign, long at) {
        Key key = new Key(seasonId, playerId);
        pending.put(key, true);
        changes.add(() -> rows.get(key).count(result, points, sign, at));
    }

    /** Writes what was counted; once, by the batch or placement that made this (and then drops it). */
    void write() {
        if (changes.isEmpty()) {
            return;
        }
        load(List.copyOf(pending.keySet()));
        changes.forEach(Runnable::run);
        List<Row> fresh = rows.values().stream().filter(row -> !row.stored).toList();
        List<Row> stored = rows.values().stream().filter(row -> row.stored).toList();
        String columns = "points, wins, draws, losses, matches, entered_at, changed_at, reached_at";
        if (!fresh.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into " + standings + " (" + columns + ", season_id, player_id) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    fresh,
                    fresh.size(),
                    (sql, row) -> bind(sql, row));
        }
        if (!stored.isEmpty()) {
            jdbc.batchUpdate(
                    "update " + standings + " set points = ?, wins = ?, draws = ?, losses = ?, matches = ?, "
                            + "entered_at = ?, changed_at = ?, reached_at = ? where season_id = ? and player_id = ?",
                    stored,
                    stored.size(),
                    (sql, row) -> bind(sql, row));
        }
        writeTallies();
    }

    private static void bind(java.sql.PreparedStatement sql, Row row) throws java.sql.SQLException {
        sql.setLong(1, row.points);
        sql.setLong(2, row.wins);
        sql.setLong(3, row.draws);
        sql.setLong(4, row.losses);
        sql.setLong(5, row.matches);
        sql.setLong(6, row.enteredAt);
        sql.setLong(7, row.changedAt);
        sql.setLong(8, row.reachedAt());
        sql.setString(9, row.key.seasonId());
        sql.setString(10, row.key.playerId());
    }

    private void load(List<Key> keys) {
        Map<String, List<String>> bySeason = new LinkedHashMap<>();
        keys.forEach(key ->
                bySeason.computeIfAbsent(key.seasonId(), s -> new ArrayList<>()).add(key.playerId()));
        bySeason.forEach((seasonId, players) -> {
            for (List<String> chunk : ProcessorBatch.chunks(players, ProcessorBatch.IN_LIST)) {
                List<Object> args = new ArrayList<>();
                args.add(seasonId);
                args.addAll(chunk);
                jdbc.query(
                        "select player_id, points, wins, draws, losses, matches, entered_at, changed_at from "
                                + standings + " where season_id = ? and player_id in ("
                                + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                        result -> {
                            Key key = new Key(seasonId, result.getString(1));
                            Row row = new Row(key, true, result.getLong(2));
                            row.wins = result.getLong(3);
                            row.draws = result.getLong(4);
                            row.losses = result.getLong(5);
                            row.matches = result.getLong(6);
                            row.enteredAt = result.getLong(7);
                            row.changedAt = result.getLong(8);
                            rows.put(key, row);
                        },
                        args.toArray());
            }
        });
        keys.forEach(key -> rows.computeIfAbsent(key, k -> new Row(k, false, 0)));
    }

    /** Moves each season's count of players per total, as {@link StandingsTables} does for all time. */
    private void writeTallies() {
        Map<List<Object>, Long> deltas = new HashMap<>();
        for (Row row : rows.values()) {
            if (!row.stored) {
                deltas.merge(List.of(row.key.seasonId(), row.points), 1L, Long::sum);
            } else if (row.points != row.pointsBefore) {
                deltas.merge(List.of(row.key.seasonId(), row.pointsBefore), -1L, Long::sum);
                deltas.merge(List.of(row.key.seasonId(), row.points), 1L, Long::sum);
            }
        }
        List<Map.Entry<List<Object>, Long>> moves =
                deltas.entrySet().stream().filter(e -> e.getValue() != 0).toList();
        if (moves.isEmpty()) {
            return;
        }
        int[][] moved = jdbc.batchUpdate(
                "update " + tallies + " set players = players + ? where season_id = ? and points = ?"
                        + " and players + ? >= 0",
                moves,
                moves.size(),
                (sql, move) -> {
                    sql.setLong(1, move.getValue());
                    sql.setString(2, (String) move.getKey().get(0));
                    sql.setLong(3, (Long) move.getKey().get(1));
                    sql.setLong(4, move.getValue());
                });
        List<Map.Entry<List<Object>, Long>> fresh = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            if (moved[0][i] == 0) {
                if (moves.get(i).getValue() < 0) {
                    throw new IllegalStateException(
                            "no players counted at " + moves.get(i).getKey());
                }
                fresh.add(moves.get(i));
            }
        }
        if (!fresh.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into " + tallies + " (season_id, points, players) values (?, ?, ?)",
                    fresh,
                    fresh.size(),
                    (sql, move) -> {
                        sql.setString(1, (String) move.getKey().get(0));
                        sql.setLong(2, (Long) move.getKey().get(1));
                        sql.setLong(3, move.getValue());
                    });
        }
    }
}
