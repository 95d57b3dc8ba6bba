package io.matchledger.projections;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** The read models' few statements that the two databases spell differently. */
enum Vendor {
    POSTGRESQL {
        @Override
        String addToCount(String tally) {
            // PostgreSQL checks the row it would insert before it looks for a conflict: a negative change proposed
            // as a new row breaks the count's check even when the row is there and would stay at or above zero. The
            // proposed row holds no less than zero; the update adds the change itself.
            return "insert into " + tally + " (points, players, version) values (?, greatest(?, 0), 0) on conflict "
                    + "(points) do update set players = " + tally + ".players + ?, version = coalesce(" + tally
                    + ".version, 0) + 1";
        }

        @Override
        String lockCounts(String tally) {
            return "lock table " + tally + " in share row exclusive mode";
        }
    },
    H2 {
        @Override
        String addToCount(String tally) {
            return "merge into " + tally
                    + " t using (values (cast(? as bigint), cast(? as bigint), cast(? as bigint))) "
                    + "s(points, inserted, delta) on t.points = s.points when matched then update set players = "
                    + "t.players + s.delta, version = coalesce(t.version, 0) + 1 when not matched then insert "
                    + "(points, players, version) values (s.points, s.delta, 0)";
        }

        @Override
        String lockCounts(String tally) {
            // No table lock in H2: its rows, which is all a single process with one segment needs (the default).
            return "select points from " + tally + " for update";
        }
    };

    private static final Map<DataSource, Vendor> KNOWN = new ConcurrentHashMap<>();

    /**
     * Adds the change (second and third parameter, the same value) to the {@code players} of the total (points) given
     * first, inserting the row when there is none, in one statement.
     */
    abstract String addToCount(String tally);

    /**
     * Keeps every other writer off the counts until this transaction ends: other writers change a count only by
     * adding to it, so a count taken under this lock from the committed rows stays exact after they add theirs.
     */
    abstract String lockCounts(String tally);

    static Vendor of(JdbcTemplate jdbc) {
        return KNOWN.computeIfAbsent(jdbc.getDataSource(), dataSource -> {
            try (var connection = dataSource.getConnection()) {
                return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName()) ? POSTGRESQL : H2;
            } catch (SQLException unreachable) {
                throw new IllegalStateException("cannot tell which database the read models are on", unreachable);
            }
        });
    }
}
