package io.matchledger.projections.personal;

import io.matchledger.core.personal.PlayerKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The players' keys in table {@code player_key} (V12), beside the event store: through the caller's connection, so
 * in its transaction. A command's unit of work stores a new player's key and appends the registration in one
 * transaction, and an erasure destroys the key and appends {@code PlayerErased} in one (ADR 0019). Here because this
 * module owns the ledger's schema; the projections are its readers too.
 * <p>
 * Nothing caches a key: a key cached in one process would open a name after another process erased it.
 */
public final class PlayerKeyTable implements PlayerKeys {

    private final JdbcTemplate jdbc;
    private final String insert;

    public PlayerKeyTable(DataSource dataSource) {
        this(new JdbcTemplate(dataSource), isPostgres(dataSource));
    }

    private PlayerKeyTable(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        // Two processes registering one new player may race on PostgreSQL: the second waits for the first's row and
        // then inserts nothing (its append then loses the race on the stream, and the command runs again). On H2 one
        // process owns the store, and the player's lock keeps its commands one at a time.
        this.insert = postgres
                ? "insert into player_key (player_id, secret) values (?, ?) on conflict (player_id) do nothing"
                : "insert into player_key (player_id, secret) values (?, ?)";
    }

    /** The table on one connection (the upgrade's migration runs on Flyway's own). */
    public static PlayerKeyTable on(Connection connection) throws SQLException {
        boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        return new PlayerKeyTable(
                new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true)),
                postgres);
    }

    @Override
    public byte[] findOrStore(String playerId, byte[] fresh) {
        Optional<byte[]> stored = find(playerId);
        if (stored.isPresent()) {
            return stored.get();
        }
        jdbc.update(insert, playerId, fresh);
        return find(playerId).orElseThrow(() -> new IllegalStateException("the key of " + playerId + " was not kept"));
    }

    @Override
    public Optional<byte[]> find(String playerId) {
        List<byte[]> keys =
                jdbc.query("select secret from player_key where player_id = ?", (row, i) -> row.getBytes(1), playerId);
        return keys.stream().findFirst();
    }

    @Override
    public void destroy(String playerId) {
        jdbc.update("delete from player_key where player_id = ?", playerId);
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database holds the players' keys", e);
        }
    }
}
