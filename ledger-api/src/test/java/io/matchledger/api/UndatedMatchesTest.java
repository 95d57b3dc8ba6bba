package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.PlayerRegistered;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A match the first version of the ledger stored: {@code MatchRecorded} and {@code MatchSettled} without a revision
 * and without {@code occurredAt}, written here as raw rows of Axon's JPA event table, exactly as that version left
 * them. Revision 2 requires {@code occurredAt}; the upcaster dates such a match with the moment it was recorded. The
 * rows must load everywhere the ledger reads events: into the player and match aggregates that decide new commands,
 * and into every projection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class UndatedMatchesTest {

    /** Stored timestamps are kept to the millisecond, in this form. */
    static final String RECORDED = "2024-05-01T12:00:00.250Z";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aMatchStoredWithoutOccurredAtLoadsIntoTheLedgersAndEveryProjection() {
        store("Player", "u-veteran", 0, PlayerRegistered.class, null, """
                {"playerId":"u-veteran","name":"Veteran"}""");
        store("Player", "u-rookie", 0, PlayerRegistered.class, null, """
                {"playerId":"u-rookie","name":"Rookie"}""");
        store("Player", "u-veteran", 1, MatchRecorded.class, null, """
                {"playerId":"u-veteran","matchId":"u-old-1","opponentId":"u-rookie","result":"WIN","points":3,\
                "totalAfter":3}""");
        store("Player", "u-rookie", 1, MatchRecorded.class, null, """
                {"playerId":"u-rookie","matchId":"u-old-1","opponentId":"u-veteran","result":"LOSS","points":0,\
                "totalAfter":0}""");
        store("Match", "match:u-old-1", 0, MatchSettled.class, null, """
                {"matchId":"u-old-1","outcome":"WIN","players":[\
                {"playerId":"u-veteran","result":"WIN","points":3,"totalAfter":3},\
                {"playerId":"u-rookie","result":"LOSS","points":0,"totalAfter":0}]}""");
        LedgerClient client = new LedgerClient(port);

        // The projections read the old rows through the upcaster: the match is dated when it was recorded.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.pointsOf("u-veteran")).isEqualTo(3);
            assertThat(client.get("/api/players/u-veteran/matches")
                            .json()
                            .at("/total")
                            .asLong())
                    .isEqualTo(1);
            assertThat(client.get("/api/matches/u-old-1").status()).isEqualTo(200);
        });
        JsonNode item = client.get("/api/players/u-veteran/matches").json().at("/items/0");
        assertThat(item.get("matchId").asText()).isEqualTo("u-old-1");
        assertThat(Instant.parse(item.get("occurredAt").asText())).isEqualTo(Instant.parse(RECORDED));
        assertThat(Instant.parse(item.get("recordedAt").asText())).isEqualTo(Instant.parse(RECORDED));
        assertThat(item.get("totalAfter").asLong()).isEqualTo(3);
        JsonNode match = client.get("/api/matches/u-old-1").json();
        assertThat(Instant.parse(match.get("occurredAt").asText())).isEqualTo(Instant.parse(RECORDED));
        JsonNode event = client.get("/api/players/u-veteran/events").json().at("/events/1");
        assertThat(event.get("type").asText()).isEqualTo("MatchRecorded");
        assertThat(Instant.parse(event.at("/payload/occurredAt").asText())).isEqualTo(Instant.parse(RECORDED));
        assertThat(VoidScenarioTest.pointsAsOf(client, "u-veteran", Instant.parse(RECORDED)))
                .isEqualTo(3);

        // The aggregates read them too: the old match is a known match id, dated the same way...
        Reply retry = client.win("u-old-1", "u-veteran", "u-rookie");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(Instant.parse(retry.json().get("occurredAt").asText())).isEqualTo(Instant.parse(RECORDED));
        assertThat(client.win("u-old-1", "u-rookie", "u-veteran").status()).isEqualTo(409);
        // ...its points are on the veteran's ledger, and a new match continues from them...
        Reply next = client.win("u-new-1", "u-veteran", "u-rookie");
        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        assertThat(TwoWindowScenarioTest.totalIn(next, "u-veteran")).isEqualTo(6);
        // ...and it can be voided like any other.
        Reply voided = VoidScenarioTest.voidMatch(client, "u-old-1", "migrated by mistake");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(201);
        assertThat(VoidScenarioTest.share(voided.json(), "u-veteran").total()).isEqualTo(3);

        // What the service writes now is revision 2 and carries occurredAt itself.
        assertThat(jdbc.queryForList("""
                select payload_revision from domain_event_entry
                where aggregate_identifier = 'u-veteran' and payload_type = ?
                order by sequence_number""", String.class, MatchRecorded.class.getName()))
                .containsExactly(null, "2");
    }

    private void store(
            String aggregateType, String streamId, long sequence, Class<?> payloadType, String revision, String json) {
        jdbc.update(
                """
                        insert into domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision,
                            payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                        values (next value for domain_event_entry_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8),
                revision,
                payloadType.getName(),
                RECORDED,
                streamId,
                sequence,
                aggregateType);
    }
}
