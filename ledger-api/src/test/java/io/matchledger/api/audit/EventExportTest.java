package io.matchledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.eventtable.StoredEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The export's framing and its one subtle rule, on a table shaped like Axon's: an export must not run past a missing
 * global index that a write still in flight may fill, or a client resuming from the last token would never see it.
 */
class EventExportTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration GRACE = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    JdbcTemplate jdbc;
    EventExport export;

    @BeforeEach
    void anEmptyStore() {
        DriverManagerDataSource dataSource =
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("""
                create table domain_event_entry (
                    global_index bigint primary key, type varchar(255), aggregate_identifier varchar(255) not null,
                    sequence_number bigint not null, event_identifier varchar(255) not null,
                    time_stamp varchar(255) not null, payload_type varchar(255) not null,
                    payload_revision varchar(255), payload blob not null, meta_data blob)""");
        export = new EventExport(new StoredEvents(dataSource), GRACE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void stopsBeforeAMissingIndexWhileTheWriteHoldingItMayStillCommit() throws IOException {
        store(1, NOW.minusSeconds(60));
        store(2, NOW.minusSeconds(59));
        // 3 is taken by a transaction that has not committed yet; 4 committed a second ago.
        store(4, NOW.minusSeconds(1));

        assertThat(tokens(export(-1, 100))).containsExactly(1L, 2L);
        assertThat(tokens(export(2, 100))).isEmpty();

        store(3, NOW.minusSeconds(2));
        assertThat(tokens(export(2, 100))).containsExactly(3L, 4L);
    }

    @Test
    void stepsOverAMissingIndexOnceNoWriteCanStillFillIt() throws IOException {
        store(1, NOW.minusSeconds(60));
        // 2 was rolled back long ago: the hole stays for ever.
        store(3, NOW.minusSeconds(30));
        store(4, NOW.minusSeconds(1));

        assertThat(tokens(export(-1, 100))).containsExactly(1L, 3L, 4L);
    }

    @Test
    void writesPagesUpToTheLimitAndResumesExactlyAfterTheToken() throws IOException {
        for (long token = 1; token <= 2_500; token++) {
            store(token, NOW.minusSeconds(600));
        }

        List<String> all = export(-1, 2_500);
        List<String> firstPart = export(-1, 1_234);
        List<String> rest = export(1_234, 10_000);

        assertThat(tokens(all)).hasSize(2_500).startsWith(1L).endsWith(2_500L);
        assertThat(firstPart).isEqualTo(all.subList(0, 1_234));
        assertThat(rest).isEqualTo(all.subList(1_234, 2_500));
    }

    @Test
    void storedJsonIsWrittenAsItIsAndAnythingElseCannotBreakTheLines() throws IOException {
        store(1, NOW.minusSeconds(60), "{\"playerId\":\"lubien\",\"points\":3}", "{\"requestId\":\"r-1\"}");
        store(2, NOW.minusSeconds(60), "{\n  \"playerId\" : \"enemy\"\n}", "{}");
        store(3, NOW.minusSeconds(60), "<xml>not json</xml>", null);

        List<String> lines = export(-1, 100);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .contains("\"payload\":{\"playerId\":\"lubien\",\"points\":3}", "\"metadata\":{\"requestId\":\"r-1\"}");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.at("/payload/playerId").asText()).isEqualTo("enemy");
        JsonNode third = JSON.readTree(lines.get(2));
        assertThat(third.get("payload").asText()).isEqualTo("<xml>not json</xml>");
        assertThat(third.get("metadata").isNull()).isTrue();
        assertThat(third.get("token").asLong()).isEqualTo(3);
        assertThat(third.get("aggregateId").asText()).isEqualTo("player-3");
        assertThat(third.get("sequence").asLong()).isEqualTo(0);
        assertThat(third.get("type").asText()).isEqualTo("PointsAdjusted");
        assertThat(third.get("payloadType").asText()).isEqualTo("io.matchledger.core.api.PointsAdjusted");
        assertThat(third.get("timestamp").asText())
                .isEqualTo(NOW.minusSeconds(60).toString());
    }

    void store(long token, Instant timestamp) {
        store(token, timestamp, "{\"playerId\":\"player-" + token + "\",\"points\":1}", "{}");
    }

    void store(long token, Instant timestamp, String payload, String metadata) {
        jdbc.update(
                "insert into domain_event_entry values (?, 'Player', ?, 0, ?, ?, ?, null, ?, ?)",
                token,
                "player-" + token,
                UUID.randomUUID().toString(),
                timestamp.toString(),
                "io.matchledger.core.api.PointsAdjusted",
                payload.getBytes(StandardCharsets.UTF_8),
                metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8));
    }

    List<String> export(long after, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = export.write(after, limit, out);
        String body = out.toString(StandardCharsets.UTF_8);
        List<String> lines =
                body.isEmpty() ? List.of() : List.of(body.split("\n", -1)).subList(0, (int) written);
        assertThat(body).endsWith(written == 0 ? "" : "\n");
        return lines;
    }

    static List<Long> tokens(List<String> lines) throws IOException {
        List<Long> tokens = new ArrayList<>();
        for (String line : lines) {
            tokens.add(JSON.readTree(line).get("token").asLong());
        }
        return tokens;
    }
}
