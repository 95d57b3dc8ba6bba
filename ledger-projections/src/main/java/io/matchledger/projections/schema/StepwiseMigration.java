package io.matchledger.projections.schema;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * An H2 migration whose change SQL cannot make re-runnable (H2 has no {@code if exists} for a primary key): steps of
 * one statement each, every one run only while a query finds its change not yet made. H2 commits each statement on
 * its own, so a kill can stop a migration after any step; Flyway then runs it again from the top at the next start,
 * and the steps already made are passed over (ADR 0016). {@code MigrationCutOffTest} cuts every H2 migration off after
 * each step.
 */
public abstract class StepwiseMigration extends BaseJavaMigration {

    /** One change: {@code sql}, run while {@code neededWhen} (a query of one boolean) answers true. */
    public record Step(String neededWhen, String sql) {}

    /** The steps, in order. */
    public abstract List<Step> steps();

    @Override
    public void migrate(Context context) throws SQLException {
        migrate(context.getConnection(), steps().size());
    }

    /** Runs the first {@code count} steps, each if still needed. */
    public void migrate(Connection connection, int count) throws SQLException {
        for (Step step : steps().subList(0, count)) {
            try (Statement sql = connection.createStatement()) {
                boolean needed;
                try (ResultSet answer = sql.executeQuery(step.neededWhen())) {
                    needed = answer.next() && answer.getBoolean(1);
                }
                if (needed) {
                    sql.execute(step.sql());
                }
            }
        }
    }

    /** Of the steps' text, as Flyway's is of an SQL script's: an edit of an applied migration fails validation. */
    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        for (Step step : steps()) {
            crc.update((step.neededWhen() + "\n" + step.sql() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }

    /** A query: whether {@code table}'s primary key has exactly {@code columns}, in this order (upper case, as H2 has them). */
    protected static String primaryKeyIs(String table, String... columns) {
        return "select coalesce(listagg(k.column_name, ',') within group (order by k.ordinal_position), '') = '"
                + String.join(",", columns) + "' " + primaryKeyColumns(table);
    }

    /** A query: whether {@code table} has no primary key. */
    protected static String noPrimaryKey(String table) {
        return "select count(*) = 0 " + primaryKeyColumns(table);
    }

    private static String primaryKeyColumns(String table) {
        return "from information_schema.table_constraints c join information_schema.key_column_usage k "
                + "on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name "
                + "where c.table_schema = current_schema and c.table_name = '" + table + "' "
                + "and c.constraint_type = 'PRIMARY KEY'";
    }
}
