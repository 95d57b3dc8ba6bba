package io.matchledger.projections.personal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.personal.PersonalData;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Migration 12.1, the upgrade's move of the names (ADR 0019): every {@code PlayerRegistered} and {@code PlayerRenamed}
 * of the first version holds the name in plain text, so its payload is rewritten in place with the name sealed under
 * the player's key (made here, in {@code player_key}), and its revision set to 2. Nothing else of the row changes:
 * its global index, event id, timestamp and metadata stay, and no season's seal covers these events (seals cover
 * match settlements and their voids), so every seal still verifies. A player registered before the upgrade is then
 * erased like any other. In one transaction with Flyway's record of it; a rewritten row (revision 2) is never taken
 * again, so a run cut off on H2 just runs again.
 * <p>
 * A bean, which Spring Boot hands to Flyway with the SQL migrations of both vendors. On Axon Server the events are not
 * in this database, and stay as they are (the upcaster reads them).
 */
@Component
public class SealPlaintextNames implements JavaMigration {

    private static final Logger log = LoggerFactory.getLogger(SealPlaintextNames.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("12.1");
    }

    @Override
    public String getDescription() {
        return "seal plaintext names";
    }

    @Override
    public Integer getChecksum() {
        return 12_1;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        PersonalData personal = new PersonalData(PlayerKeyTable.on(connection));
        List<Row> rows = plaintextNames(connection);
        try (PreparedStatement update = connection.prepareStatement(
                "update domain_event_entry set payload = ?, payload_revision = '2' where global_index = ?")) {
            for (Row row : rows) {
                ObjectNode payload = (ObjectNode) row.payload();
                String playerId = payload.path("playerId").asText();
                payload.put(
                        "name",
                        personal.seal(playerId, payload.path("name").asText()).value());
                update.setBytes(1, JSON.writeValueAsBytes(payload));
                update.setLong(2, row.globalIndex());
                update.addBatch();
            }
            update.executeBatch();
        }
        // The count, never a name: log lines outlive an erasure.
        log.info("Sealed the names of {} registrations and renames of the first version", rows.size());
    }

    private record Row(long globalIndex, JsonNode payload) {}

    private static List<Row> plaintextNames(Connection connection) throws SQLException, IOException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select global_index, payload from domain_event_entry where payload_type in (?, ?) "
                        + "and (payload_revision is null or payload_revision = '1') order by global_index")) {
            select.setString(1, PlayerRegistered.class.getName());
            select.setString(2, PlayerRenamed.class.getName());
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    JsonNode payload = JSON.readTree(result.getBytes(2));
                    if (payload instanceof ObjectNode && payload.path("name").isTextual()) {
                        rows.add(new Row(result.getLong(1), payload));
                    }
                }
            }
        }
        return rows;
    }
}
