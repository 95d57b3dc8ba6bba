package io.matchledger.projections.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.GivenPostgres;
import io.matchledger.projections.TableSet;
import io.matchledger.projections.lifecycle.InterruptedSwaps;
import io.matchledger.projections.lifecycle.TableSwap;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * On PostgreSQL a migration and a rebuild's swap are each one transaction, so a session killed in the middle of one
 * leaves nothing of it: here the session is killed for real ({@code pg_terminate_backend}) halfway through V5 and
 * halfway through the standings' swap, and the next start finds the schema and the live model as they were. While a
 * swap is under way, a process starting beside it sees no swap to recover. Runs in a schema of its own in the
 * database of {@code LEDGER_IT_PG_URL} (CI provides it; without it, skipped).
 */
class PostgresCutOffTest {

    static final String SCHEMA = "crash_windows";
    static final List<String> STANDINGS = List.of("player_standing", "points_tally");

    String url;
    String user;
    String password;

    @BeforeEach
    void anEmptySchema() throws SQLException {
        GivenPostgres given = GivenPostgres.orSkip().inSchema(SCHEMA);
        url = given.url();
        user = given.user();
        password = given.password();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + SCHEMA + " cascade");
            sql.execute("create schema " + SCHEMA);
        }
    }

    @AfterEach
    void dropTheSchema() throws SQLException {
        if (url != null) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement sql = connection.createStatement()) {
                sql.execute("drop schema if exists " + SCHEMA + " cascade");
            }
        }
    }

    @Test
    void aMigrationWhoseSessionIsKilledHalfwayLeavesNothingAndTheNextStartMakesIt() throws Exception {
        flyway().target(MigrationVersion.fromVersion("4")).load().migrate();
        List<String> v5 = statements("db/migration/postgresql/V5__seasons.sql");
        try (Connection session = DriverManager.getConnection(url, user, password)) {
            session.setAutoCommit(false); // as Flyway runs a PostgreSQL migration
            try (Statement sql = session.createStatement()) {
                for (String statement : v5.subList(0, v5.size() / 2)) {
                    sql.execute(statement);
                }
            }
            kill(session);
        }
        assertThat(columns("match_record")).doesNotContain("season_id");
        assertThat(tables()).doesNotContain("season");

        start();

        assertThat(columns("match_record")).contains("season_id", "season_late", "voided_at", "void_late");
        assertThat(tables()).contains("season", "season_standing", "season_tally", TableSwap.SWAPS);
    }

    @Test
    void aSwapWhoseSessionIsKilledHalfwayLeavesTheLiveModel() throws Exception {
        start();
        comment("live model", "rebuilt model");
        try (Connection session = DriverManager.getConnection(url, user, password)) {
            session.setAutoCommit(false); // the rebuild's transaction
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(session, true));
            List<TableSwap.Step> steps = new TableSwap(jdbc, "standings", STANDINGS)
                    .steps(() -> jdbc.update("insert into token_entry (segment, processor_name, timestamp) "
                            + "values (0, 'standings', 'decided')"));
            // Cut off after the decision and the first table's retirement and installation.
            steps.subList(0, steps.size() - 4).forEach(step -> step.action().run());

            try (Connection beside = DriverManager.getConnection(url, user, password)) {
                assertThat(InterruptedSwaps.recover(new JdbcTemplate(new SingleConnectionDataSource(beside, true))))
                        .as("a process starting meanwhile")
                        .isEmpty();
            }
            kill(session);
        }

        start();

        assertThat(tables())
                .contains("player_standing", "points_tally", "player_standing_rebuild", "points_tally_rebuild")
                .noneMatch(name -> name.endsWith("_next") || name.endsWith("_old"));
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            assertThat(jdbc.queryForObject("select count(*) from read_model_swap", Integer.class))
                    .isZero();
            assertThat(jdbc.queryForObject("select count(*) from token_entry", Integer.class))
                    .isZero();
            for (String table : STANDINGS) {
                assertThat(comment(jdbc, table)).isEqualTo("live model");
                assertThat(comment(jdbc, TableSet.REBUILD.of(table))).isEqualTo("rebuilt model");
            }
            // And committed whole, the swap leaves no trace of itself but the swapped names.
            connection.setAutoCommit(false);
            new TableSwap(jdbc, "standings", STANDINGS).run(() -> {});
            connection.commit();
            assertThat(jdbc.queryForObject("select count(*) from read_model_swap", Integer.class))
                    .isZero();
            for (String table : STANDINGS) {
                assertThat(comment(jdbc, table)).isEqualTo("rebuilt model");
            }
        }
    }

    /** What a crash of the session's process does to it: the server ends the backend, and rolls back. */
    private void kill(Connection session) throws SQLException {
        int pid;
        try (Statement sql = session.createStatement();
                var answer = sql.executeQuery("select pg_backend_pid()")) {
            answer.next();
            pid = answer.getInt(1);
        }
        try (Connection other = DriverManager.getConnection(url, user, password);
                Statement sql = other.createStatement();
                var answer = sql.executeQuery("select pg_terminate_backend(" + pid + ")")) {
            answer.next();
            assertThat(answer.getBoolean(1)).as("session %d terminated", pid).isTrue();
        }
    }

    private void start() {
        flyway().callbacks(new H2MigrationHistory(), new InterruptedSwaps())
                .load()
                .migrate();
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(url, user, password)
                .schemas(SCHEMA)
                .locations("classpath:db/migration/postgresql");
    }

    private void comment(String live, String rebuilt) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            for (String table : STANDINGS) {
                sql.execute("comment on table " + table + " is '" + live + "'");
                sql.execute("comment on table " + TableSet.REBUILD.of(table) + " is '" + rebuilt + "'");
            }
        }
    }

    private static String comment(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("select obj_description(to_regclass(?), 'pg_class')", String.class, table);
    }

    private List<String> tables() throws SQLException {
        return query("select table_name from information_schema.tables where table_schema = current_schema");
    }

    private List<String> columns(String table) throws SQLException {
        return query("select column_name from information_schema.columns where table_schema = current_schema "
                + "and table_name = '" + table + "'");
    }

    private List<String> query(String select) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return new JdbcTemplate(new SingleConnectionDataSource(connection, true))
                    .queryForList(select, String.class);
        }
    }

    /** The statements of a script, split as Flyway splits them on PostgreSQL. */
    static List<String> statements(String resource) throws Exception {
        String script;
        try (InputStream in = PostgresCutOffTest.class.getClassLoader().getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        PostgreSQLParser parser =
                new PostgreSQLParser(Flyway.configure().load().getConfiguration(), new ParsingContext());
        try (SqlStatementIterator parsed = parser.parse(new StringResource(script))) {
            while (parsed.hasNext()) {
                statements.add(parsed.next().getSql());
            }
        }
        return statements;
    }
}
