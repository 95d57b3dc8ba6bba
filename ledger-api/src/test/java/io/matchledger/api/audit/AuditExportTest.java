package io.matchledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The auditor's export: every event once, in global order, one JSON object per line, resumable from any line's token.
 * An auditor who re-adds the points of the export gets every total the service shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditExportTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PLAYERS = List.of("ex-ada", "ex-bo", "ex-cy", "ex-di");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** What the service answered for each of this test's players: the model to check the export against. */
    final Map<String, Long> acknowledged = new HashMap<>();

    @BeforeAll
    void aSmallLeague() {
        LedgerClient client = new LedgerClient(port);
        PLAYERS.forEach(p ->
                assertThat(client.registerPlayer(p, p.toUpperCase()).status()).isIn(200, 201));
        assertThat(client.adjust("ex-ada", "ex-ada-opening", 10, "opening balance")
                        .status())
                .isIn(200, 201);
        assertThat(client.adjust("ex-bo", "ex-bo-opening", 4, "opening balance").status())
                .isIn(200, 201);
        for (int i = 0; i < 24; i++) {
            String first = PLAYERS.get(i % 4);
            String second = PLAYERS.get((i + 1 + i / 4) % 4);
            if (first.equals(second)) {
                continue;
            }
            Reply reply = i % 3 == 0 ? client.draw("ex-m" + i, first, second) : client.win("ex-m" + i, first, second);
            assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
            reply.json()
                    .get("players")
                    .forEach(share -> acknowledged.put(
                            share.get("playerId").asText(), share.get("total").asLong()));
        }
    }

    @Test
    void reAddingThePointsOfTheWholeExportGivesEveryTotalTheServiceShows() {
        LedgerClient auditor = TestAccounts.AUDITOR.client(port);
        // Wait for the read model, and for any export stop at a write that may still commit (see EventExport).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> all = exportInPages(auditor, 97);
            assertThat(all).isNotEmpty();
            assertThat(all.get(all.size() - 1).get("token").asLong()).isEqualTo(head());
            assertThat(all).hasSize(eventCount());

            Map<String, Long> reAdded = new HashMap<>();
            for (JsonNode event : all) {
                JsonNode payload = event.get("payload");
                if (event.get("aggregateType").asText().equals("Player") && payload.has("points")) {
                    reAdded.merge(
                            event.get("aggregateId").asText(),
                            payload.get("points").asLong(),
                            Long::sum);
                }
            }
            assertThat(reAdded).containsAllEntriesOf(acknowledged);
            for (Map.Entry<String, Long> player : reAdded.entrySet()) {
                assertThat(auditor.pointsOf(player.getKey()))
                        .as(player.getKey())
                        .isEqualTo(player.getValue());
            }
        });
    }

    @Test
    void anExportResumedAfterAnyLineGivesExactlyTheLinesAfterIt() {
        LedgerClient auditor = TestAccounts.AUDITOR.client(port);
        List<String> first = lines(auditor.get("/api/audit/events?limit=12"));
        assertThat(first).hasSize(12);
        long tokenOfLine4 = parse(first.get(4)).get("token").asLong();

        List<String> resumed = lines(auditor.get("/api/audit/events?after=" + tokenOfLine4 + "&limit=7"));

        assertThat(resumed).isEqualTo(first.subList(5, 12));
        assertThat(lines(auditor.get("/api/audit/events?after=" + head()))).isEmpty();
    }

    @Test
    void eachLineIsOneEventAsStoredInNdjson() {
        Reply reply = TestAccounts.AUDITOR.client(port).get("/api/audit/events?limit=1000");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> events =
                lines(reply).stream().map(AuditExportTest::parse).toList();
        assertThat(events).isNotEmpty();
        long previous = 0;
        for (JsonNode event : events) {
            assertThat(event.get("token").asLong()).isGreaterThan(previous);
            previous = event.get("token").asLong();
            assertThat(event.get("aggregateId").isTextual()).isTrue();
            assertThat(event.get("payloadType").asText())
                    .isEqualTo("io.matchledger.core.api." + event.get("type").asText());
            assertThat(event.get("sequence").asLong()).isNotNegative();
            assertThat(event.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(event.get("payload").isObject()).as(event.toString()).isTrue();
            assertThat(event.get("metadata").isObject()).as(event.toString()).isTrue();
        }
        JsonNode recorded = events.stream()
                .filter(e -> e.get("type").asText().equals("MatchRecorded"))
                .filter(e -> e.get("aggregateId").asText().equals("ex-ada"))
                .findFirst()
                .orElseThrow();
        assertThat(recorded.at("/payload/playerId").asText()).isEqualTo("ex-ada");
        assertThat(recorded.at("/payload/points").isInt()).isTrue();
        assertThat(recorded.at("/payload/totalAfter").isIntegralNumber()).isTrue();
        String storedPayload = jdbc.queryForObject(
                "select utf8tostring(payload) from domain_event_entry where global_index = ?",
                String.class,
                recorded.get("token").asLong());
        assertThat(recorded.get("payload")).isEqualTo(parse(storedPayload));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "after=-2          | after",
                "after=abc         |",
                "after=1.5         |",
                "limit=0           | limit",
                "limit=-1          | limit",
                "limit=1000001     | limit",
                "limit=abc         |",
                "after=0&limit=0   | limit"
            })
    void aBadTokenOrLimitIsAProblem(String query, String field) {
        Reply reply = TestAccounts.AUDITOR.client(port).get("/api/audit/events?" + query);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("detail")).isTrue();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsText("field")).contains(field);
        }
        assertThat(reply.body()).doesNotContain("Exception", "\tat ");
    }

    /** The whole export, asked for in pages that each resume from the last token of the one before. */
    static List<JsonNode> exportInPages(LedgerClient client, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        long after = -1;
        while (true) {
            List<String> page = lines(client.get("/api/audit/events?after=" + after + "&limit=" + pageSize));
            if (page.isEmpty()) {
                return all;
            }
            page.forEach(line -> all.add(parse(line)));
            after = all.get(all.size() - 1).get("token").asLong();
        }
    }

    static List<String> lines(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().isEmpty() ? List.of() : List.of(reply.body().split("\n"));
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON object: " + line, e);
        }
    }

    long head() {
        return jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
    }

    int eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Integer.class);
    }
}
