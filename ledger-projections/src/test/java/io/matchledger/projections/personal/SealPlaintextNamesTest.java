package io.matchledger.projections.personal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SealedName;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.MigratedH2;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The upgrade's move of the names (migration 12.1), on the schema the migrations make: each name of the first version
 * sealed in place under a key made for its player, nothing else of the row changed, and a second run a no-op.
 */
// On a migrated H2 without Spring (MigratedH2).
class SealPlaintextNamesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static MigratedH2 db;

    final DataSource dataSource = db.dataSource;
    final JdbcTemplate jdbc = db.jdbc;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @BeforeEach
    void aStoreOfTheFirstVersion() {
        jdbc.update("delete from domain_event_entry");
        jdbc.update("delete from player_key");
        stored(1, "lubien", 0, PlayerRegistered.class, null, "{\"playerId\":\"lubien\",\"name\":\"Lubien\"}");
        stored(2, "lubien", 1, PointsAdjusted.class, null, """
                {"playerId":"lubien","adjustmentId":"a-1","points":5,"reason":"bonus","totalAfter":5}""");
        stored(3, "lubien", 2, PlayerRenamed.class, "1", "{\"playerId\":\"lubien\",\"name\":\"Lubien II\"}");
        stored(4, "enemy", 0, PlayerRegistered.class, null, "{\"playerId\":\"enemy\",\"name\":\"Enemy\"}");
    }

    @Test
    void everyNameOfTheFirstVersionIsSealedInPlaceUnderItsPlayersKey() throws Exception {
        List<Map<String, Object>> before = rows();

        migrate();

        PersonalData personal = new PersonalData(new PlayerKeyTable(dataSource));
        assertThat(open(personal, 1)).isEqualTo("Lubien");
        assertThat(open(personal, 3)).isEqualTo("Lubien II");
        assertThat(open(personal, 4)).isEqualTo("Enemy");
        List<Map<String, Object>> after = rows();
        for (int i = 0; i < before.size(); i++) {
            Map<String, Object> row = after.get(i);
            boolean name = !row.get("PAYLOAD_TYPE").equals(PointsAdjusted.class.getName());
            assertThat(row)
                    .as("everything but the payload and its revision is as it was")
                    .usingRecursiveComparison()
                    .ignoringFields(name ? new String[] {"PAYLOAD", "PAYLOAD_REVISION"} : new String[0])
                    .isEqualTo(before.get(i));
            assertThat(row.get("PAYLOAD_REVISION")).isEqualTo(name ? "2" : null);
        }
        assertThat(jdbc.queryForObject("select count(*) from player_key", Long.class))
                .isEqualTo(2);
        String payloads = new String(
                jdbc.queryForList("select payload from domain_event_entry", byte[].class).stream()
                        .reduce(new byte[0], SealPlaintextNamesTest::concat),
                StandardCharsets.UTF_8);
        assertThat(payloads).doesNotContain("Lubien\"", "Enemy");

        migrate();
        assertThat(rows())
                .as("a second run changes nothing")
                .usingRecursiveComparison()
                .isEqualTo(after);
    }

    /** As a start of the service runs it: Flyway, after the module's migrations, records it as version 12.1. */
    @Test
    void flywayRunsItAfterTheMigrationsAndRecordsIt() throws Exception {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/h2")
                .javaMigrations(new SealPlaintextNames())
                .load()
                .migrate();

        assertThat(open(new PersonalData(new PlayerKeyTable(dataSource)), 4)).isEqualTo("Enemy");
        assertThat(jdbc.queryForMap("select \"description\", \"checksum\", \"success\" from \"flyway_schema_history\" "
                        + "where \"version\" = '12.1'"))
                .containsEntry("description", "seal plaintext names")
                .containsEntry("checksum", 121)
                .containsEntry("success", true);
    }

    private String open(PersonalData personal, long globalIndex) throws Exception {
        JsonNode payload = JSON.readTree(jdbc.queryForObject(
                "select payload from domain_event_entry where global_index = ?", byte[].class, globalIndex));
        SealedName name = new SealedName(payload.get("name").asText());
        assertThat(name.isPlain()).isFalse();
        return personal.open(payload.get("playerId").asText(), name).orElseThrow();
    }

    private void migrate() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            new SealPlaintextNames().migrate(new Context() {
                @Override
                public Configuration getConfiguration() {
                    return null;
                }

                @Override
                public Connection getConnection() {
                    return connection;
                }
            });
            connection.commit();
        }
    }

    private List<Map<String, Object>> rows() {
        return jdbc.queryForList("select * from domain_event_entry order by global_index");
    }

    private void stored(long index, String stream, long sequence, Class<?> type, String revision, String payload) {
        jdbc.update(
                "insert into domain_event_entry (global_index, sequence_number, aggregate_identifier, event_identifier, "
                        + "payload_revision, payload_type, time_stamp, type, meta_data, payload) "
                        + "values (?, ?, ?, ?, ?, ?, ?, 'Player', ?, ?)",
                index,
                sequence,
                stream,
                "event-" + index,
                revision,
                type.getName(),
                "2026-11-26T10:00:0" + index + "Z",
                "{\"principal\":\"recorder\"}".getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
