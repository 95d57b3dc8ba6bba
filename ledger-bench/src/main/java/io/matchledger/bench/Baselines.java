package io.matchledger.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the same database does for the same matches without the ledger: plain JDBC through the service's own
 * {@link DataSource} (same pool, same driver, same files), on tables of the benchmark's own.
 * <ul>
 *   <li>(a) {@link #atomicUpdates}: the usual fix for lost updates, two {@code points = points + ?} per match;</li>
 *   <li>(b) {@link #matchWithUpdates}: the same guarantees as the ledger without event sourcing: the match inserted
 *       under its unique id, and the two updates, in one transaction;</li>
 *   <li>(c) {@link #rawAppend}: the append limit: two rows the size of the ledger's stored events, in a table shaped
 *       like Axon's event table (unique event id, unique stream and sequence), in one transaction.</li>
 *   <li>(d) {@link #crudLedger}: the ledger a user would write with tables instead of events: the match inserted under
 *       its unique id, the two players' history rows, and their standings rows updated (points, wins, draws, losses,
 *       matches, when the total was reached, like the ledger's {@code player_standing}), in one transaction.</li>
 * </ul>
 * Each match's two players are updated in id order, as the ledger locks them, so that two transactions naming the
 * same players in opposite order wait for each other instead of deadlocking.
 * <p>
 * A match counts once it is as durable as the ledger's answers. On H2 the baselines run with {@code WRITE_DELAY 0}
 * (every commit written to the file before it returns), as the service does; it is set for them in {@link #prepare}
 * and put back in {@link #finish}, so that a URL given with {@code -D} still says what the ledger was measured with.
 */
final class Baselines {

    private final DataSource dataSource;
    private final MatchPairs pairs;
    private final int payloadBytes;
    private final int metadataBytes;
    private final String blobType;
    private final boolean postgres;
    /** Unique per stream: a raw append knows nothing of stream sequences, so every row gets a sequence of its own. */
    private final AtomicLong sequence = new AtomicLong();
    private final byte[] payload;
    private final byte[] metadata;
    private String writeDelay;

    Baselines(DataSource dataSource, MatchPairs pairs, int payloadBytes, int metadataBytes) throws SQLException {
        this.dataSource = dataSource;
        this.pairs = pairs;
        this.payloadBytes = payloadBytes;
        this.metadataBytes = metadataBytes;
        this.blobType = eventPayloadType(dataSource);
        this.postgres = isPostgres(dataSource);
        this.payload = printable(payloadBytes, 1);
        this.metadata = printable(metadataBytes, 2);
    }

    /** Gives H2 back the write delay the service runs with. */
    void finish() throws SQLException {
        if (writeDelay != null) {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("set write_delay " + Integer.parseInt(writeDelay));
            }
        }
    }

    String blobType() {
        return blobType;
    }

    /**
     * Drops and creates the benchmark's tables, gives every player of the pool a row at 0 points, and on H2 makes
     * every commit durable when it returns.
     */
    void prepare() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!postgres) {
                try (ResultSet delay = statement.executeQuery(
                        "select setting_value from information_schema.settings where setting_name = 'WRITE_DELAY'")) {
                    writeDelay = delay.next() ? delay.getString(1) : null;
                }
                statement.execute("set write_delay 0");
            }
            for (String table : new String[]{"bench_points", "bench_match", "bench_event", "bench_crud_match",
                                             "bench_crud_history", "bench_crud_standing"}) {
                statement.execute("drop table if exists " + table);
            }
            statement.execute("create table bench_points (player_id varchar(64) primary key, points bigint not null)");
            statement.execute("create table bench_match (match_id varchar(128) primary key, "
                                      + "winner varchar(64) not null, loser varchar(64) not null, "
                                      + "occurred_at timestamp not null)");
            statement.execute("create table bench_event ("
                                      + "global_index bigint generated by default as identity primary key, "
                                      + "type varchar(255), aggregate_identifier varchar(255) not null, "
                                      + "sequence_number bigint not null, event_identifier varchar(255) not null, "
                                      + "time_stamp varchar(255) not null, payload_type varchar(255) not null, "
                                      + "payload_revision varchar(255), payload " + blobType + " not null, "
                                      + "meta_data " + blobType + ", "
                                      + "constraint bench_event_id unique (event_identifier), "
                                      + "constraint bench_event_stream "
                                      + "unique (aggregate_identifier, sequence_number))");
            // (d): what a CRUD ledger needs for the same reads as the ledger's: the match by id (a retry under the
            // same id fails on the primary key), a player's history newest first, and the leaderboard's order.
            statement.execute("create table bench_crud_match (match_id varchar(128) primary key, "
                                      + "winner_id varchar(64) not null, loser_id varchar(64) not null, "
                                      + "outcome varchar(8) not null, recorded_at timestamp not null)");
            statement.execute("create table bench_crud_history (match_id varchar(128) not null, "
                                      + "player_id varchar(64) not null, opponent_id varchar(64) not null, "
                                      + "result varchar(8) not null, points integer not null, "
                                      + "total_after bigint not null, recorded_at timestamp not null, "
                                      + "primary key (match_id, player_id))");
            statement.execute("create index bench_crud_history_player on bench_crud_history "
                                      + "(player_id, recorded_at desc)");
            statement.execute("create table bench_crud_standing (player_id varchar(64) primary key, "
                                      + "points bigint not null, wins bigint not null, draws bigint not null, "
                                      + "losses bigint not null, matches bigint not null, reached_at bigint not null)");
            statement.execute("create index bench_crud_standing_leaderboard on bench_crud_standing "
                                      + "(points desc, reached_at asc, player_id asc)");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into bench_points (player_id, points) values (?, 0)")) {
            connection.setAutoCommit(false);
            for (int p = 0; p < pairs.players(); p++) {
                insert.setString(1, pairs.player(p));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
            connection.setAutoCommit(true);
        }
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into bench_crud_standing (player_id, points, wins, draws, losses, matches, reached_at) "
                             + "values (?, 0, 0, 0, 0, 0, ?)")) {
            connection.setAutoCommit(false);
            for (int p = 0; p < pairs.players(); p++) {
                insert.setString(1, pairs.player(p));
                insert.setLong(2, now);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
            connection.setAutoCommit(true);
        }
    }

    LoadResult atomicUpdates(int clients, int matches) {
        return ClosedLoad.run(clients, matches, i -> inTransaction(connection -> award(connection, i)));
    }

    LoadResult matchWithUpdates(int clients, int matches) {
        return ClosedLoad.run(clients, matches, i -> inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench_match (match_id, winner, loser, occurred_at) values (?, ?, ?, ?)")) {
                insert.setString(1, "b-" + clients + "-" + i);
                insert.setString(2, pairs.winner(i));
                insert.setString(3, pairs.loser(i));
                insert.setTimestamp(4, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            award(connection, i);
        }));
    }

    LoadResult rawAppend(int clients, int matches) {
        return ClosedLoad.run(clients, matches, i -> inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench_event (type, aggregate_identifier, sequence_number, event_identifier, "
                            + "time_stamp, payload_type, payload_revision, payload, meta_data) "
                            + "values ('Player', ?, ?, ?, ?, 'io.matchledger.core.api.MatchRecorded', '2', ?, ?)")) {
                String now = Instant.now().toString();
                for (String player : new String[]{pairs.winner(i), pairs.loser(i)}) {
                    insert.setString(1, player);
                    insert.setLong(2, sequence.getAndIncrement());
                    insert.setString(3, UUID.randomUUID().toString());
                    insert.setString(4, now);
                    insert.setBytes(5, payload);
                    insert.setBytes(6, metadata);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }));
    }

    /**
     * (d): one transaction per match. The match row first, so that a retry under the same id fails before it touches
     * a standing; then both standings in player id order, each update returning the new total for that player's
     * history row (RETURNING on PostgreSQL, a data change delta table on H2: one statement either way); then the two
     * history rows in one batch.
     */
    LoadResult crudLedger(int clients, int matches) {
        return crudLedger(clients, matches, "d-" + clients + "-");
    }

    /** (d) under match ids of its own: for a warm-up, whose ids must not be taken by a measured load. */
    LoadResult crudLedger(int clients, int matches, String idPrefix) {
        String standing = "update bench_crud_standing set points = points + ?, wins = wins + ?, "
                + "draws = draws + ?, losses = losses + ?, matches = matches + 1, "
                // A loss awards 0: the total did not change, so neither did the moment it was reached.
                + "reached_at = case when cast(? as integer) <> 0 then cast(? as bigint) else reached_at end "
                + "where player_id = ?";
        String standingSql = postgres ? standing + " returning points"
                : "select points from final table (" + standing + ")";
        return ClosedLoad.run(clients, matches, i -> inTransaction(connection -> {
            String matchId = idPrefix + i;
            String winner = pairs.winner(i);
            String loser = pairs.loser(i);
            long nowMillis = System.currentTimeMillis();
            Timestamp now = new Timestamp(nowMillis);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench_crud_match (match_id, winner_id, loser_id, outcome, recorded_at) "
                            + "values (?, ?, ?, 'WIN', ?)")) {
                insert.setString(1, matchId);
                insert.setString(2, winner);
                insert.setString(3, loser);
                insert.setTimestamp(4, now);
                insert.executeUpdate();
            }
            long winnerTotal;
            long loserTotal;
            try (PreparedStatement update = connection.prepareStatement(standingSql)) {
                if (winner.compareTo(loser) < 0) {
                    winnerTotal = standing(update, winner, 3, nowMillis);
                    loserTotal = standing(update, loser, 0, nowMillis);
                } else {
                    loserTotal = standing(update, loser, 0, nowMillis);
                    winnerTotal = standing(update, winner, 3, nowMillis);
                }
            }
            try (PreparedStatement history = connection.prepareStatement(
                    "insert into bench_crud_history (match_id, player_id, opponent_id, result, points, total_after, "
                            + "recorded_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                history(history, matchId, winner, loser, "WIN", 3, winnerTotal, now);
                history(history, matchId, loser, winner, "LOSS", 0, loserTotal, now);
                history.executeBatch();
            }
        }));
    }

    /** Updates one standing for a win (3 points) or a loss (0; the load plays no draws) and returns the new total. */
    private static long standing(PreparedStatement update, String player, int points, long nowMillis)
            throws SQLException {
        boolean won = points > 0;
        update.setInt(1, points);
        update.setInt(2, won ? 1 : 0);
        update.setInt(3, 0);
        update.setInt(4, won ? 0 : 1);
        update.setInt(5, points);
        update.setLong(6, nowMillis);
        update.setString(7, player);
        try (ResultSet total = update.executeQuery()) {
            if (!total.next()) {
                throw new SQLException("no standing row for " + player);
            }
            return total.getLong(1);
        }
    }

    private static void history(PreparedStatement insert, String matchId, String player, String opponent,
                                String result, int points, long totalAfter, Timestamp at) throws SQLException {
        insert.setString(1, matchId);
        insert.setString(2, player);
        insert.setString(3, opponent);
        insert.setString(4, result);
        insert.setInt(5, points);
        insert.setLong(6, totalAfter);
        insert.setTimestamp(7, at);
        insert.addBatch();
    }

    /** A decisive match: 3 points to the winner, 0 to the loser; both rows written, as both ledgers are. */
    private void award(Connection connection, int i) throws SQLException {
        String winner = pairs.winner(i);
        String loser = pairs.loser(i);
        try (PreparedStatement update = connection.prepareStatement(
                "update bench_points set points = points + ? where player_id = ?")) {
            boolean winnerFirst = winner.compareTo(loser) < 0;
            update(update, winnerFirst ? winner : loser, winnerFirst ? 3 : 0);
            update(update, winnerFirst ? loser : winner, winnerFirst ? 0 : 3);
        }
    }

    private static void update(PreparedStatement update, String player, int points) throws SQLException {
        update.setInt(1, points);
        update.setString(2, player);
        if (update.executeUpdate() != 1) {
            throw new SQLException("no points row for " + player);
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /** One transaction; retried like the ledger's commands when the database aborts it for a conflict. */
    private void inTransaction(Work work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    work.run(connection);
                    connection.commit();
                    return;
                } catch (SQLException failure) {
                    connection.rollback();
                    if (attempt >= 8 || !isConflict(failure)) {
                        throw failure;
                    }
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }
    }

    private static boolean isConflict(SQLException failure) {
        String state = failure.getSQLState();
        // 40001 serialization failure / H2 deadlock, 40P01 PostgreSQL deadlock, HYT00 H2 lock timeout.
        return state != null && (state.startsWith("40") || state.equals("HYT00"));
    }

    private static boolean isPostgres(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        }
    }

    /** The type Axon's event table stores payloads in on this database (bytea on PostgreSQL, a BLOB on H2). */
    private static String eventPayloadType(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            boolean postgres = metadata.getDatabaseProductName().toLowerCase().contains("postgres");
            for (String table : new String[]{"domain_event_entry", "DOMAIN_EVENT_ENTRY"}) {
                try (ResultSet columns = metadata.getColumns(null, connection.getSchema(), table, null)) {
                    while (columns.next()) {
                        if (columns.getString("COLUMN_NAME").equalsIgnoreCase("payload")) {
                            return columns.getString("TYPE_NAME");
                        }
                    }
                }
            }
            return postgres ? "bytea" : "blob";
        }
    }

    /** Printable bytes, like the JSON the ledger stores; random so that no layer can compress them away. */
    private static byte[] printable(int length, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[Math.max(1, length)];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }

    int payloadBytes() {
        return payloadBytes;
    }

    int metadataBytes() {
        return metadataBytes;
    }
}
