package io.matchledger.api;

import db.migration.h2.V6__season_standing_key_by_player;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.TableSet;
import io.matchledger.projections.lifecycle.InterruptedSwaps;
import io.matchledger.projections.lifecycle.TableSwap;
import io.matchledger.projections.schema.H2MigrationHistory;
import io.matchledger.projections.schema.StepwiseMigration.Step;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A process of its own that runs the service's own code against an H2 store up to a step, says so, and waits to be
 * killed ({@code CrashWindowsOnH2IT} sends SIGKILL): the state a kill after that step leaves, for steps far too short
 * to hit by timing a kill of the service. It opens the store with the service's URL ({@code WRITE_DELAY=0}).
 * <ul>
 *   <li>{@code swap <store> <projection> <steps> <spoil: live|rebuilt>}: migrates the store as the service would, copies
 *       the live tables into their twins (a rebuild that has caught up, at the live tokens), spoils one row of the
 *       model that must not survive (the test knows which), and runs the first steps of the projection's swap
 *       ({@link TableSwap}) in one transaction, its decision rewriting the live tokens as they are.
 *   <li>{@code migration <store> <version> <steps>}: migrates to the version before and runs the first steps of a
 *       {@code StepwiseMigration}.
 * </ul>
 */
public final class CutOff {

    static final String DONE = "cut off after:";

    static final Map<String, List<String>> TABLES = Map.of(
            StandingsProjection.PROCESSING_GROUP, StandingsProjection.TABLES,
            MatchesProjection.PROCESSING_GROUP, MatchesProjection.TABLES,
            HistoryProjection.PROCESSING_GROUP, HistoryProjection.TABLES);

    /** A row of each projection's model, spoiled in the model that must not survive; the checks find it. */
    static final Map<String, String> SPOIL = Map.of(
            StandingsProjection.PROCESSING_GROUP, "update %s set points = points + 1000 where player_id = 'up-ann'",
            MatchesProjection.PROCESSING_GROUP, "delete from %s where match_id = 'up-m-42'",
            HistoryProjection.PROCESSING_GROUP, "delete from %s where player_id = 'up-ann' and match_id = 'up-m-0'");

    public static void main(String[] args) throws Exception {
        String url = "jdbc:h2:file:" + args[1] + "/ledger;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        switch (args[0]) {
            case "swap" -> swap(url, args[2], Integer.parseInt(args[3]), args[4]);
            case "migration" -> migration(url, args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed
    }

    private static void swap(String url, String projection, int steps, String spoiled) throws Exception {
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration/h2")
                .callbacks(new H2MigrationHistory(), new InterruptedSwaps())
                .load()
                .migrate();
        Connection connection = DriverManager.getConnection(url, "sa", "");
        connection.setAutoCommit(false);
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        List<String> tables = TABLES.get(projection);
        for (String table : tables) {
            String twin = TableSet.REBUILD.of(table);
            String columns = String.join(
                    ", ",
                    jdbc.queryForList(
                            "select column_name from information_schema.columns where lower(table_name) = ?",
                            String.class,
                            table));
            jdbc.execute("truncate table " + twin);
            jdbc.update("insert into " + twin + " (" + columns + ") select " + columns + " from " + table);
        }
        String spoilt = spoiled.equals("live") ? tables.get(0) : TableSet.REBUILD.of(tables.get(0));
        int rows = jdbc.update(SPOIL.get(projection).formatted(spoilt));
        if (rows == 0) {
            throw new IllegalStateException("nothing to spoil in " + spoilt);
        }
        connection.commit();

        List<TableSwap.Step> swap = new TableSwap(jdbc, projection, tables)
                .steps(() -> jdbc.update(
                        "update token_entry set timestamp = timestamp where processor_name = ?", projection));
        List<TableSwap.Step> run = swap.subList(0, steps);
        run.forEach(step -> step.action().run());
        System.out.println(DONE + " " + run + " of " + swap.size());
    }

    private static void migration(String url, String version, int steps) throws Exception {
        if (!version.equals("6")) {
            throw new IllegalArgumentException("the stepwise H2 migrations are V6");
        }
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration/h2")
                .callbacks(new H2MigrationHistory(), new InterruptedSwaps())
                .target(MigrationVersion.fromVersion("5"))
                .load()
                .migrate();
        V6__season_standing_key_by_player v6 = new V6__season_standing_key_by_player();
        // Left open: a kill, not a close, ends it.
        Connection connection = DriverManager.getConnection(url, "sa", "");
        v6.migrate(connection, steps);
        System.out.println(DONE + " "
                + v6.steps().subList(0, steps).stream().map(Step::sql).toList() + " of V6");
    }

    private CutOff() {}
}
