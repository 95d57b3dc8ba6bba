package io.matchledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What PostgreSQL counts while a load runs, read before and after it: the WAL written (the whole cluster's: the
 * position of {@code pg_current_wal_lsn()}), this database's transactions, the rows written and the index scans on
 * the schema's tables (a proxy for the statements that look a row up), and the other databases' transactions, which say
 * whether anyone else wrote WAL at the same time. PostgreSQL publishes a backend's counters when it goes idle, at
 * most once a second and, for a connection left idle in a pool, up to ten seconds later: read them after a pause.
 */
final class DatabaseCounters {

    /** One reading; {@code otherTransactions} are those of every other database on the server. */
    record Reading(long walBytes, long transactions, long rowsWritten, long indexScans, long otherTransactions) {

        Reading minus(Reading earlier) {
            return new Reading(
                    walBytes - earlier.walBytes,
                    transactions - earlier.transactions,
                    rowsWritten - earlier.rowsWritten,
                    indexScans - earlier.indexScans,
                    otherTransactions - earlier.otherTransactions);
        }
    }

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    DatabaseCounters(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    Reading read() throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            long wal = single(sql, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
            long transactions = single(
                    sql, "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()");
            long others = single(
                    sql,
                    "select coalesce(sum(xact_commit + xact_rollback), 0)::bigint from pg_stat_database "
                            + "where datname is not null and datname <> current_database()");
            long rows;
            long scans;
            try (ResultSet row = sql.executeQuery("select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint, "
                    + "coalesce(sum(coalesce(idx_scan, 0)), 0)::bigint from pg_stat_user_tables where schemaname = '"
                    + schema + "'")) {
                row.next();
                rows = row.getLong(1);
                scans = row.getLong(2);
            }
            return new Reading(wal, transactions, rows, scans, others);
        }
    }

    /** Which Axon owner (pid@host) holds each segment of the read models' processor; null: unclaimed. */
    Map<Integer, String> readModelOwners() throws SQLException {
        Map<Integer, String> owners = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("select segment, owner from " + schema
                        + ".token_entry where processor_name = 'read-models' order by segment")) {
            while (rows.next()) {
                owners.put(rows.getInt(1), rows.getString(2));
            }
        }
        return owners;
    }

    /** The segments each process (by pid) holds, from {@link #readModelOwners}. */
    static List<Integer> segmentsOf(Map<Integer, String> owners, long pid) {
        List<Integer> held = new ArrayList<>();
        owners.forEach((segment, owner) -> {
            if (owner != null && owner.startsWith(pid + "@")) {
                held.add(segment);
            }
        });
        return held;
    }

    /** A count in the schema. */
    long count(String query) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            sql.execute("set search_path to " + schema);
            return single(sql, query);
        }
    }

    private static long single(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
