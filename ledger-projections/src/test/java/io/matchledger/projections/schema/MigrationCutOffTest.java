package io.matchledger.projections.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.projections.lifecycle.InterruptedSwaps;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.internal.database.h2.H2Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every H2 migration, cut off after each of its statements, is finished by the next start. H2 commits each statement
 * of a migration on its own, and Flyway records the migration only once all of them ran, so after a kill the next
 * start runs the whole migration again over whatever its first statements made. The rule (ADR 0016): each statement
 * of an H2 migration is a no-op once made ({@code if not exists}, {@code if exists}), or the migration is a {@link
 * StepwiseMigration} whose steps check that they are needed. This test holds every migration in
 * {@code db/migration/h2}, those added later included, to it: on a real H2 file, the schema at the version before, then
 * the migration's first statements (split by Flyway's own parser, as Flyway runs them), then a start; schema, rows and
 * history must be what a start that was never cut off makes.
 */
class MigrationCutOffTest {

    static final String H2 = "classpath:db/migration/h2";
    static final String AS_SHIPPED = "classpath:migrations-as-shipped/h2";
    static final String FILE = "ledger.mv.db";

    @TempDir
    Path dir;

    int databases;

    @Test
    void everyH2MigrationCutOffAfterAnyStatementIsFinishedByTheNextStart() throws Exception {
        long began = System.nanoTime();
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        String empty = database("reference-empty");
        start(empty, H2);
        String seeded = database("reference-seeded");
        seededAtV1(seeded, H2);
        start(seeded, H2);
        Map<String, String> unseededSchema = script(empty);
        Map<String, String> seededSchema = script(seeded);

        List<MigrationInfo> migrations = List.of(flyway(empty, H2).load().info().all());
        assertThat(migrations).hasSizeGreaterThanOrEqualTo(8);
        int cuts = 0;
        for (MigrationInfo migration : migrations) {
            List<Cut> statements = statementsOf(migration);
            MigrationVersion before = previous(migrations, migration);
            // The store as the migration finds it, copied for each cut-off.
            Path template = store("before-V" + migration.getVersion());
            if (before != null) {
                seededAtV1(url(template), H2);
                flyway(url(template), H2).target(before).load().migrate();
            } else {
                // Flyway makes (and commits) its history table before the first migration.
                flyway(url(template), "filesystem:" + dir.resolve("no-migrations"))
                        .load()
                        .migrate();
                assertThat(script(url(template))).containsKey("history");
            }
            for (int done = 0; done <= statements.size(); done++) {
                Path store = store("V" + migration.getVersion() + "-after-" + done);
                Files.copy(template.resolve(FILE), store.resolve(FILE));
                String url = url(store);
                try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                    for (Cut statement : statements.subList(0, done)) {
                        statement.run(connection);
                    }
                }

                String state = "V" + migration.getVersion() + " cut off after " + done + " of " + statements.size()
                        + " statements " + statements.subList(0, done) + ", then started";
                try {
                    start(url, H2);
                } catch (FlywayException failed) {
                    throw new AssertionError(
                            state + ": the start failed; is each statement a no-op once made "
                                    + "(if not exists), or each step of a StepwiseMigration checked? (ADR 0016)",
                            failed);
                }

                assertThat(script(url)).as(state).isEqualTo(before == null ? unseededSchema : seededSchema);
                cuts++;
            }
        }
        System.out.printf(
                "migration cut-offs: %d migrations, %d cut-offs, each finished by a start, in %.1f s (%.1f s of CPU)%n",
                migrations.size(),
                cuts,
                (System.nanoTime() - began) / 1e9,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e9);
    }

    /** A store that an earlier version migrated with the scripts as shipped goes on with the rewritten ones. */
    @Test
    void aStoreMigratedByTheScriptsAsShippedValidatesAndGoesOn() throws Exception {
        String reference = database("reference");
        seededAtV1(reference, H2);
        start(reference, H2);
        String shipped = database("as-shipped");
        seededAtV1(shipped, AS_SHIPPED);
        flyway(shipped, AS_SHIPPED).load().migrate();

        start(shipped, H2);

        assertThat(script(shipped)).isEqualTo(script(reference));
    }

    /**
     * The trap of issue 24: the shipped V6 cut off after its first statement (the key dropped), then started by the
     * version that shipped it, which ran V6 again, failed at its first statement, and recorded V6 as failed; every start
     * after that stopped there. This version finishes it.
     */
    @Test
    void aV6CutOffAndThenRecordedAsFailedByTheEarlierVersionIsFinished() throws Exception {
        String url = database("failed-v6");
        seededAtV1(url, AS_SHIPPED);
        flyway(url, AS_SHIPPED).target(MigrationVersion.fromVersion("5")).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement sql = connection.createStatement()) {
            sql.execute("alter table season_standing drop primary key");
        }
        assertThatThrownBy(() -> flyway(url, AS_SHIPPED).load().migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("V6");
        assertThatThrownBy(() -> flyway(url, AS_SHIPPED).load().migrate())
                .as("what every later start of the earlier version did")
                .hasMessageContaining("failed migration");

        start(url, H2);

        String reference = database("reference");
        seededAtV1(reference, H2);
        start(reference, H2);
        assertThat(script(url)).isEqualTo(script(reference));
    }

    /** The rewrites' checksums as shipped and as they are now, which the history is moved between. */
    @Test
    void everyRewrittenMigrationIsListedWithItsChecksumAsShippedAndNow() throws IOException {
        String url = database("checksums");
        Map<String, MigrationInfo> now = byVersion(flyway(url, H2).load().info().all());
        Map<String, MigrationInfo> shipped =
                byVersion(flyway(url, AS_SHIPPED).load().info().all());
        for (H2MigrationHistory.Rewritten rewritten : H2MigrationHistory.REWRITTEN) {
            MigrationInfo current = now.get(rewritten.version());
            assertThat(rewritten.now()).as("V%s now", rewritten.version()).isEqualTo(current.getChecksum());
            assertThat(rewritten.type())
                    .as("V%s now", rewritten.version())
                    .isEqualTo(current.getType().name());
            assertThat(rewritten.shipped())
                    .as("V%s as shipped", rewritten.version())
                    .isEqualTo(shipped.get(rewritten.version()).getChecksum());
        }
        for (MigrationInfo migration : shipped.values()) {
            boolean rewritten = H2MigrationHistory.REWRITTEN.stream()
                    .anyMatch(r -> r.version().equals(migration.getVersion().getVersion()));
            if (!rewritten) {
                assertThat(now.get(migration.getVersion().getVersion()).getChecksum())
                        .as("V%s, not listed as rewritten", migration.getVersion())
                        .isEqualTo(migration.getChecksum());
            }
        }
    }

    /**
     * PostgreSQL needs no such rule: Flyway runs each of its migrations in one transaction, which a kill rolls back
     * whole ({@code PostgresCutOffTest} kills one), unless a statement cannot run in one ({@code create index
     * concurrently}, for instance): then Flyway would run it alone, and a kill could cut the migration.
     */
    @Test
    void everyPostgreSqlMigrationRunsInOneTransaction() throws Exception {
        Path scripts = Path.of(getClass()
                .getClassLoader()
                .getResource("db/migration/postgresql")
                .toURI());
        List<Path> migrations;
        try (var files = Files.list(scripts)) {
            migrations = files.filter(file -> file.getFileName().toString().endsWith(".sql"))
                    .sorted()
                    .toList();
        }
        assertThat(migrations).hasSizeGreaterThanOrEqualTo(7); // V1 to V8; H2 alone has a V3
        PostgreSQLParser parser =
                new PostgreSQLParser(Flyway.configure().load().getConfiguration(), new ParsingContext());
        for (Path migration : migrations) {
            try (SqlStatementIterator statements = parser.parse(new StringResource(Files.readString(migration)))) {
                while (statements.hasNext()) {
                    SqlStatement statement = statements.next();
                    assertThat(statement.canExecuteInTransaction())
                            .as("%s: %s", migration.getFileName(), statement.getSql())
                            .isTrue();
                }
            }
        }
    }

    /** One statement of a migration, or one step of a {@link StepwiseMigration}, run as Flyway would. */
    private interface Cut {
        void run(Connection connection) throws SQLException;
    }

    private List<Cut> statementsOf(MigrationInfo migration) throws Exception {
        List<Cut> cuts = new ArrayList<>();
        switch (migration.getType().name()) {
            case "SQL" -> {
                String script;
                try (InputStream in =
                        getClass().getClassLoader().getResourceAsStream("db/migration/h2/" + migration.getScript())) {
                    script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                H2Parser parser = new H2Parser(Flyway.configure().load().getConfiguration(), new ParsingContext());
                try (SqlStatementIterator statements = parser.parse(new StringResource(script))) {
                    while (statements.hasNext()) {
                        String sql = statements.next().getSql();
                        cuts.add(new Cut() {
                            @Override
                            public void run(Connection connection) throws SQLException {
                                try (Statement statement = connection.createStatement()) {
                                    statement.execute(sql);
                                }
                            }

                            @Override
                            public String toString() {
                                return sql.length() > 60 ? sql.substring(0, 60) + "..." : sql;
                            }
                        });
                    }
                }
            }
            case "JDBC" -> {
                Object java = Class.forName(migration.getScript())
                        .getDeclaredConstructor()
                        .newInstance();
                assertThat(java)
                        .as("an H2 migration in Java must be a StepwiseMigration (ADR 0016): %s", migration.getScript())
                        .isInstanceOf(StepwiseMigration.class);
                StepwiseMigration stepwise = (StepwiseMigration) java;
                for (int i = 1; i <= stepwise.steps().size(); i++) {
                    int count = i;
                    String sql = stepwise.steps().get(i - 1).sql();
                    cuts.add(new Cut() {
                        @Override
                        public void run(Connection connection) throws SQLException {
                            stepwise.migrate(connection, count);
                        }

                        @Override
                        public String toString() {
                            return sql;
                        }
                    });
                }
            }
            default -> throw new AssertionError("an H2 migration of type " + migration.getType());
        }
        assertThat(cuts).as("V%s has statements", migration.getVersion()).isNotEmpty();
        return cuts;
    }

    /** A start of the service, as far as its schema goes: Flyway with the service's callbacks. */
    private static void start(String url, String location) {
        flyway(url, location)
                .callbacks(new H2MigrationHistory(), new InterruptedSwaps())
                .load()
                .migrate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, String location) {
        return Flyway.configure().dataSource(url, "sa", "").locations(location);
    }

    /** A store at schema version 1 with a few rows in it. */
    private static void seededAtV1(String url, String location) throws SQLException, IOException {
        flyway(url, location).target(MigrationVersion.fromVersion("1")).load().migrate();
        String seed;
        try (InputStream in = MigrationCutOffTest.class.getClassLoader().getResourceAsStream("seed-at-v1.sql")) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement sql = connection.createStatement()) {
            for (String line :
                    seed.lines().filter(line -> line.startsWith("insert")).toList()) {
                sql.execute(line);
            }
        }
    }

    private String database(String name) throws IOException {
        return url(store(name));
    }

    /** A directory for an H2 store of its own. */
    private Path store(String name) throws IOException {
        databases++;
        return Files.createDirectories(dir.resolve(databases + "-" + name));
    }

    /** H2 compacts a file when it closes it, for up to 200 ms by default; these stores are opened hundreds of times. */
    private static String url(Path store) {
        return "jdbc:h2:file:" + store.resolve("ledger") + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0";
    }

    /**
     * What H2's {@code SCRIPT} says of the store, one entry per statement, keyed by itself: tables, columns, keys,
     * indexes, checks, sequences and rows. Names H2 made up (an unnamed key's) are not compared, nor the history's
     * times and the user's salt; the history's versions, checksums, types and outcomes are.
     */
    private static Map<String, String> script(String url) throws SQLException {
        Map<String, String> statements = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement sql = connection.createStatement()) {
            try (ResultSet rows = sql.executeQuery("script")) {
                while (rows.next()) {
                    String statement = rows.getString(1)
                            .replaceAll("\"(CONSTRAINT|PRIMARY_KEY|CONSTRAINT_INDEX|FK)_[0-9A-F]+\"", "\"generated\"");
                    if (statement.startsWith("CREATE USER") || statement.contains("flyway_schema_history")) {
                        continue;
                    }
                    statements.merge(statement, statement, (a, b) -> a + "\n" + b);
                }
            }
            try (ResultSet rows =
                    sql.executeQuery("select \"version\", \"checksum\", \"type\", \"script\", \"success\" "
                            + "from \"flyway_schema_history\" order by \"installed_rank\"")) {
                StringBuilder history = new StringBuilder();
                while (rows.next()) {
                    for (int column = 1; column <= 5; column++) {
                        history.append(rows.getString(column)).append(column < 5 ? " " : "\n");
                    }
                }
                statements.put("history", history.toString());
            }
        }
        return statements;
    }

    private static MigrationVersion previous(List<MigrationInfo> migrations, MigrationInfo migration) {
        int at = migrations.indexOf(migration);
        return at == 0 ? null : migrations.get(at - 1).getVersion();
    }

    private static Map<String, MigrationInfo> byVersion(MigrationInfo[] migrations) {
        return List.of(migrations).stream()
                .collect(Collectors.toMap(m -> m.getVersion().getVersion(), Function.identity()));
    }
}
