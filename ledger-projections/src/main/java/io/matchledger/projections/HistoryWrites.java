package io.matchledger.projections;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the history projection writes for one processor batch, kept in memory while the batch's events are handled and
 * written when it commits, as a few JDBC batches: the new entries in one, the players' new counts in another, and the
 * matches a void marks in a third. The batch's handlers read the players it touched from here, loaded once each, so
 * a player in ten events of a batch costs one read, and Hibernate never sees these rows (its entities are for the
 * queries).
 * <p>
 * The rows are those of {@link LedgerEntry} and {@link PlayerHistory}, on the tables the migrations create.
 */
final class HistoryWrites implements ProcessorBatch.Writes {

    static final String PLAYERS = "player_history";
    static final String ENTRIES = "ledger_entry";

    private final JdbcTemplate jdbc;
    private final String players;
    private final String entries;
    /** The players this batch has read or registered; null for one that has no row. */
    private final Map<String, PlayerHistory> known = new HashMap<>();

    private boolean preloaded;
    private final Map<String, PlayerHistory> registered = new LinkedHashMap<>();
    private final Map<String, PlayerHistory> changed = new LinkedHashMap<>();
    private final List<LedgerEntry> added = new ArrayList<>();
    /** Matches of this batch by player and match id, so that a void in the same batch marks the entry in memory. */
    private final Map<String, LedgerEntry> matchesHere = new HashMap<>();

    private final List<Object[]> voidedEarlier = new ArrayList<>();
    /** Players whose rows go before the batch adds any (a repair writes them again). */
    private final Set<String> forgotten = new LinkedHashSet<>();

    /** The rebuild's held players, when this batch reads and changes them instead of the table; else null. */
    private final Held held;

    private HistoryWrites(JdbcTemplate jdbc, TableSet tables, Held held) {
        this.jdbc = jdbc;
        this.players = tables.of(PLAYERS);
        this.entries = tables.of(ENTRIES);
        this.held = held != null && held.holding() ? held : null;
    }

    /**
     * Runs {@code work} on the writes of the current processor batch ({@link ProcessorBatch}) to {@code tables};
     * {@code held} is a rebuild's players held across batches, or null.
     */
    static void inBatch(JdbcTemplate jdbc, TableSet tables, Held held, Consumer<HistoryWrites> work) {
        ProcessorBatch.with(
                HistoryWrites.class.getName() + tables.suffix(), () -> new HistoryWrites(jdbc, tables, held), work);
    }

    /**
     * A rebuild's players (their count of matches and last sequence) in memory from batch to batch and written once
     * before the swap, instead of read and updated in every batch they appear in. Their entries are written batch by
     * batch as always: they are many, and each is written once anyway.
     */
    static final class Held extends HeldRows.ByKey<PlayerHistory> {

        /** Players a rebuild holds at most (about 130 bytes each, 65 MB), as {@link StandingsTables#HOLD_AT_MOST}. */
        static final int HOLD_AT_MOST = 500_000;

        private final JdbcTemplate jdbc;
        private final String players;

        Held(JdbcTemplate jdbc, TableSet tables) {
            super(PlayerHistory::getPlayerId, HOLD_AT_MOST);
            this.jdbc = jdbc;
            this.players = tables.of(PLAYERS);
        }

        @Override
        protected PlayerHistory copy(PlayerHistory row) {
            return PlayerHistory.stored(row.getPlayerId(), row.getMatches(), row.getLastSequence());
        }

        @Override
        protected void insert(List<PlayerHistory> rows) {
            jdbc.batchUpdate(
                    "insert into " + players + " (player_id, matches, last_sequence, version) values (?, ?, ?, 0)",
                    rows,
                    1_000,
                    (sql, player) -> {
                        sql.setString(1, player.getPlayerId());
                        sql.setLong(2, player.getMatches());
                        sql.setLong(3, player.getLastSequence());
                    });
        }
    }

    /** The player's history as this batch has it, or null if the player is unknown. */
    PlayerHistory player(String playerId) {
        if (!known.containsKey(playerId)) {
            // The first read of a batch reads the rows of all its streams; a later miss, just the one.
            load(preloaded ? List.of(playerId) : ProcessorBatch.streamsOfThisBatchAnd(playerId));
            preloaded = true;
        }
        return known.get(playerId);
    }

    void register(PlayerHistory player) {
        known.put(player.getPlayerId(), player);
        registered.put(player.getPlayerId(), player);
    }

    /** Drops the player's history, in this batch and, when it writes, in the tables: a repair writes it again. */
    void forget(String playerId) {
        known.put(playerId, null);
        registered.remove(playerId);
        changed.remove(playerId);
        added.removeIf(entry -> entry.getPlayerId().equals(playerId));
        matchesHere.keySet().removeIf(key -> key.startsWith(playerId + '\u0000'));
        voidedEarlier.removeIf(voided -> playerId.equals(voided[0]));
        forgotten.add(playerId);
    }

    /** Records that the player's count or last sequence moved. */
    void changed(PlayerHistory player) {
        if (!registered.containsKey(player.getPlayerId())) {
            changed.put(player.getPlayerId(), player);
        }
    }

    void add(LedgerEntry entry) {
        added.add(entry);
        if (entry.getKind() == EntryKind.MATCH) {
            matchesHere.put(entry.getPlayerId() + '\u0000' + entry.getMatchId(), entry);
        }
    }

    /** Marks the player's entry of the match voided: in memory if this batch recorded it, in the table otherwise. */
    void markVoided(String playerId, String matchId) {
        LedgerEntry here = matchesHere.get(playerId + '\u0000' + matchId);
        if (here != null) {
            here.markVoided();
        } else {
            voidedEarlier.add(new Object[] {playerId, matchId});
        }
    }

    /** Reads the players not known yet; one that has no row is known as null (unregistered, or registering now). */
    private void load(List<String> playerIds) {
        List<String> unknown =
                playerIds.stream().filter(id -> !known.containsKey(id)).toList();
        unknown.forEach(id -> known.put(id, null));
        if (held != null) {
            unknown.forEach(id -> known.put(id, held.copyOf(id)));
            return;
        }
        for (List<String> chunk : ProcessorBatch.chunks(unknown, ProcessorBatch.IN_LIST)) {
            jdbc.query(
                    "select player_id, matches, last_sequence from " + players + " where player_id in ("
                            + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                    row -> {
                        known.put(
                                row.getString(1),
                                PlayerHistory.stored(row.getString(1), row.getLong(2), row.getLong(3)));
                    },
                    chunk.toArray());
        }
    }

    @Override
    public void write() {
        if (held != null) {
            // The players join the held ones once this batch has committed; the entries are written now.
            List<PlayerHistory> touched = new ArrayList<>(registered.values());
            touched.addAll(changed.values());
            ProcessorBatch.afterCommit(() -> held.merge(forgotten, touched));
        }
        if (!forgotten.isEmpty()) {
            for (String table : held != null ? List.of(entries) : List.of(entries, players)) {
                jdbc.batchUpdate(
                        "delete from " + table + " where player_id = ?",
                        List.copyOf(forgotten),
                        forgotten.size(),
                        (sql, playerId) -> sql.setString(1, playerId));
            }
        }
        if (!registered.isEmpty() && held == null) {
            jdbc.batchUpdate(
                    "insert into " + players + " (player_id, matches, last_sequence, version) values (?, ?, ?, 0)",
                    List.copyOf(registered.values()),
                    registered.size(),
                    (sql, player) -> {
                        sql.setString(1, player.getPlayerId());
                        sql.setLong(2, player.getMatches());
                        sql.setLong(3, player.getLastSequence());
                    });
        }
        if (!added.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into " + entries + " (player_id, sequence, kind, match_number, match_id, adjustment_id, "
                            + "opponent_id, result, points, total_after, voided, reason, occurred_at, "
                            + "recorded_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    added,
                    added.size(),
                    HistoryWrites::bind);
        }
        if (!changed.isEmpty() && held == null) {
            jdbc.batchUpdate(
                    "update " + players + " set matches = ?, last_sequence = ?, version = version + 1 "
                            + "where player_id = ?",
                    List.copyOf(changed.values()),
                    changed.size(),
                    (sql, player) -> {
                        sql.setLong(1, player.getMatches());
                        sql.setLong(2, player.getLastSequence());
                        sql.setString(3, player.getPlayerId());
                    });
        }
        if (!voidedEarlier.isEmpty()) {
            int[][] marked = jdbc.batchUpdate(
                    "update " + entries + " set voided = true, version = version + 1 "
                            + "where player_id = ? and match_id = ? and kind = 'MATCH'",
                    voidedEarlier,
                    voidedEarlier.size(),
                    (sql, voided) -> {
                        sql.setString(1, (String) voided[0]);
                        sql.setString(2, (String) voided[1]);
                    });
            // The match came earlier on the same stream.
            ProcessorBatch.requireEachChangedARow(
                    marked,
                    voidedEarlier,
                    voided -> "no match " + voided[1] + " on the history of " + voided[0] + " to void");
        }
    }

    private static void bind(PreparedStatement sql, LedgerEntry entry) throws SQLException {
        sql.setString(1, entry.getPlayerId());
        sql.setLong(2, entry.getSequence());
        sql.setString(3, entry.getKind().name());
        if (entry.getMatchNumber() == null) {
            sql.setNull(4, Types.BIGINT);
        } else {
            sql.setLong(4, entry.getMatchNumber());
        }
        sql.setString(5, entry.getMatchId());
        sql.setString(6, entry.getAdjustmentId());
        sql.setString(7, entry.getOpponentId());
        sql.setString(8, entry.getResult() == null ? null : entry.getResult().name());
        sql.setInt(9, entry.getPoints());
        sql.setLong(10, entry.getTotalAfter());
        sql.setBoolean(11, entry.isVoided());
        sql.setString(12, entry.getReason());
        sql.setObject(13, ProcessorBatch.timestamp(entry.getOccurredAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        sql.setObject(14, ProcessorBatch.timestamp(entry.getRecordedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    }
}
