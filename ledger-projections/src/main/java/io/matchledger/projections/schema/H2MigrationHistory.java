package io.matchledger.projections.schema;

import db.migration.h2.V6__season_standing_key_by_player;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Flyway's history of an H2 store, made to fit migrations that re-run (ADR 0016), before Flyway validates it:
 * <ul>
 *   <li>The H2 migrations shipped before were rewritten so that each statement is a no-op once made ({@code if not
 *       exists}, and V6 in {@link StepwiseMigration steps}). A store that applied one as shipped has its recorded
 *       checksum (and V6 its type) moved to the rewritten one, for exactly the shipped checksum: any other edit of an
 *       applied migration still fails validation.
 *   <li>A migration recorded as failed is forgotten, so that it runs again. On H2 a failed migration leaves what its
 *       statements made before the failure, and every H2 migration here completes from any such point; an earlier
 *       version recorded V6 as failed when a start after a kill ran it again, and the service never started after.
 *       A failure that is not a kill's fails again, at every start, with its cause in the log.
 * </ul>
 * PostgreSQL runs each migration in one transaction, and its scripts are as shipped: nothing to do there.
 */
@Component
public class H2MigrationHistory extends BaseCallback {

    private static final Logger log = LoggerFactory.getLogger(H2MigrationHistory.class);

    /** A migration as shipped (checksum, type) and as it is now. */
    record Rewritten(String version, int shipped, String shippedType, int now, String type, String script) {

        static Rewritten sql(String version, int shipped, int now, String script) {
            return new Rewritten(version, shipped, "SQL", now, "SQL", script);
        }
    }

    /** Every H2 migration rewritten to re-run; {@code MigrationCutOffTest} checks the current checksums. */
    static final List<Rewritten> REWRITTEN = List.of(
            Rewritten.sql("1", 427047177, 102831616, "V1__ledger_schema.sql"),
            Rewritten.sql("3", -858006440, 254084550, "V3__enum_columns_as_text.sql"),
            Rewritten.sql("4", -141136268, 1420445825, "V4__rebuild_tables.sql"),
            Rewritten.sql("5", 295382737, -908359493, "V5__seasons.sql"),
            new Rewritten(
                    "6",
                    -255293650,
                    "SQL",
                    new V6__season_standing_key_by_player().getChecksum(),
                    "JDBC",
                    V6__season_standing_key_by_player.class.getName()),
            Rewritten.sql("7", -1139269851, -1124896584, "V7__season_corrections_by_index.sql"));

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot tell the database of the migrations", e);
        }
        fit(
                new JdbcTemplate(new SingleConnectionDataSource(connection, true)),
                context.getConfiguration().getTable());
    }

    @Override
    public String getCallbackName() {
        return "H2 migration history";
    }

    static void fit(JdbcTemplate jdbc, String table) {
        boolean exists = jdbc.queryForObject(
                "select count(*) > 0 from information_schema.tables where table_schema = current_schema "
                        + "and table_name = ?",
                Boolean.class,
                table);
        if (!exists) {
            return;
        }
        String history = '"' + table + '"';
        for (Rewritten migration : REWRITTEN) {
            int moved = jdbc.update(
                    "update " + history + " set \"checksum\" = ?, \"type\" = ?, \"script\" = ? "
                            + "where \"version\" = ? and \"checksum\" = ? and \"type\" = ? and \"success\"",
                    migration.now(),
                    migration.type(),
                    migration.script(),
                    migration.version(),
                    migration.shipped(),
                    migration.shippedType());
            if (moved > 0) {
                log.info("Migration V{} as shipped is recorded as its re-runnable rewrite", migration.version());
            }
        }
        List<String> failed = jdbc.queryForList(
                "select \"version\" from " + history + " where not \"success\" order by \"installed_rank\"",
                String.class);
        if (!failed.isEmpty()) {
            log.warn("Migrations {} were recorded as failed; they run again, from where they stopped", failed);
            jdbc.update("delete from " + history + " where not \"success\"");
        }
    }
}
