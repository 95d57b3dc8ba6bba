package io.matchledger.projections.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What {@link H2MigrationHistory} repairs in a real H2 file's Flyway history as the service starts: the checksums of
 * the migrations as shipped moved to their rewrites, a migration recorded as failed run again, and nothing else
 * forgiven. Focused and fast (a few starts); {@code MigrationCutOffTest} cuts every migration at every statement.
 */
class H2MigrationHistoryTest {

    static final String H2 = "classpath:db/migration/h2";
    static final String AS_SHIPPED = "classpath:migrations-as-shipped/h2";

    @TempDir
    Path dir;

    @Test
    void aStoreMigratedAsShippedStartsWithTheRewrittenMigrationsAndItsHistoryRecordsThem() {
        String url = file("shipped");
        flyway(url, AS_SHIPPED).load().migrate();
        assertThatThrownBy(() -> flyway(url, H2).load().migrate())
                .as("without the callback, the rewrites fail validation")
                .isInstanceOf(FlywayException.class);

        start(url);

        Map<String, Map<String, Object>> history = history(url);
        for (H2MigrationHistory.Rewritten rewritten : H2MigrationHistory.REWRITTEN) {
            assertThat(history.get(rewritten.version()))
                    .as("V%s", rewritten.version())
                    .containsEntry("checksum", rewritten.now())
                    .containsEntry("type", rewritten.type())
                    .containsEntry("script", rewritten.script())
                    .containsEntry("success", true);
        }
        assertThat(history.get("6")).containsEntry("type", "JDBC");
        assertThat(history).containsKeys("8", "12");
        start(url); // and every start after
    }

    @Test
    void aMigrationRecordedAsFailedRunsAgainFromWhereItStopped() {
        String url = file("failed");
        flyway(url, H2).target("7").load().migrate();
        jdbc(url).update("update \"flyway_schema_history\" set \"success\" = false where \"version\" = '7'");
        assertThatThrownBy(() -> flyway(url, H2).load().migrate()).isInstanceOf(FlywayException.class);

        start(url);

        Map<String, Map<String, Object>> history = history(url);
        assertThat(history.values()).allSatisfy(row -> assertThat(row).containsEntry("success", true));
        assertThat(history).containsKeys("7", "12");
        assertThat(jdbc(url)
                        .queryForObject(
                                "select count(*) from \"flyway_schema_history\" where \"version\" = '7'",
                                Integer.class))
                .isEqualTo(1);
    }

    /** A start that skips validation fits the history before it migrates too. */
    @Test
    void aStartWithoutValidationRunsAFailedMigrationAgainToo() {
        String url = file("unvalidated");
        flyway(url, H2).target("7").load().migrate();
        jdbc(url).update("update \"flyway_schema_history\" set \"success\" = false where \"version\" = '7'");

        flyway(url, H2)
                .validateOnMigrate(false)
                .callbacks(new H2MigrationHistory())
                .load()
                .migrate();

        assertThat(history(url).values()).allSatisfy(row -> assertThat(row).containsEntry("success", true));
    }

    @Test
    void anAppliedMigrationEditedAnyOtherWayStillFailsValidation() {
        String url = file("edited");
        flyway(url, AS_SHIPPED).load().migrate();
        JdbcTemplate jdbc = jdbc(url);
        jdbc.update("update \"flyway_schema_history\" set \"checksum\" = 12345 where \"version\" = '3'");

        assertThatThrownBy(() -> start(url)).isInstanceOf(FlywayException.class);

        Map<String, Map<String, Object>> history = history(url);
        assertThat(history.get("3")).containsEntry("checksum", 12345);
        assertThat(history.get("5")).as("the others moved all the same").containsEntry("checksum", -908359493);
    }

    /** A migration that failed as shipped (recorded as failed) is no shipped success: it runs again, rewritten. */
    @Test
    void aFailedShippedMigrationIsForgottenNotMoved() {
        String url = file("failed-shipped");
        flyway(url, AS_SHIPPED).load().migrate();
        jdbc(url).update("update \"flyway_schema_history\" set \"success\" = false where \"version\" = '7'");

        start(url);

        Map<String, Map<String, Object>> history = history(url);
        assertThat(history.get("7")).containsEntry("checksum", -1124896584).containsEntry("success", true);
    }

    @Test
    void anEmptyStoreStartsAsAnyOther() {
        String url = file("empty");

        start(url);

        assertThat(history(url)).containsKeys("1", "6", "12");
        assertThat(new H2MigrationHistory().getCallbackName()).isEqualTo("H2 migration history");
    }

    private String file(String name) {
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
    }

    /** A start of the service, as far as this history goes. */
    private static void start(String url) {
        flyway(url, H2).callbacks(new H2MigrationHistory()).load().migrate();
    }

    private static FluentConfiguration flyway(String url, String location) {
        return Flyway.configure().dataSource(url, "sa", "").locations(location);
    }

    private static JdbcTemplate jdbc(String url) {
        return new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    }

    private static Map<String, Map<String, Object>> history(String url) {
        Map<String, Map<String, Object>> byVersion = new java.util.TreeMap<>();
        List<Map<String, Object>> rows = jdbc(url)
                .queryForList("select \"version\", \"checksum\", \"type\", \"script\", \"success\" "
                        + "from \"flyway_schema_history\" where \"version\" is not null");
        for (Map<String, Object> row : rows) {
            Map<String, Object> lower = new java.util.HashMap<>();
            row.forEach((column, value) -> lower.put(column.toLowerCase(java.util.Locale.ROOT), value));
            byVersion.put((String) lower.get("version"), lower);
        }
        return byVersion;
    }
}
