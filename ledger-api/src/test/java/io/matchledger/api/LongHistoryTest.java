package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.core.Scoring;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerMatchesQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A player with 100,000 matches: their history is paged correctly at the start, the middle and the end, a page costs
 * what the first one costs, and the total at any instant of that history is exact.
 * <p>
 * The busy player's ledger is appended straight to the event table, in large JDBC batches and one match per second
 * (against 100 registered rivals, from 2025-01-01), so that the test knows the total after every match and at every
 * instant, and seeding takes seconds where 100,000 commands would take minutes. Only that ledger is written: the
 * rivals' ledgers and the matches' own streams, which the SettlementBoundary writes in the same unit of work, would triple
 * the rows and add nothing this test reads. Everything read back goes through the history projection, the event store
 * and HTTP. The properties give the test a context, and so an H2 database, of its own: this ledger, one-sided on
 * purpose, stays out of the other tests'.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Catching up on 100,000 events in batches of 1,000 rather than 100: fewer, larger transactions.
        properties = "axon.eventhandling.processors.read-models.batch-size=1000")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongHistoryTest {

    static final int MATCHES = 100_000;
    static final int RIVALS = 100;
    static final int MATCHES_PER_TRANSACTION = 5_000;
    static final String BUSY = "h-busy";
    /** Match i was recorded at FIRST + i seconds. */
    static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");

    static final byte[] NO_METADATA = "{}".getBytes(StandardCharsets.UTF_8);

    @LocalServerPort
    int port;

    @Autowired
    Serializer serializer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    QueryGateway queries;

    @Autowired
    EventProcessingConfiguration processors;

    /** Per match i (0-based, match i is event i + 1 of the busy ledger): the busy player's total, points, result. */
    final long[] totalAfter = new long[MATCHES];

    final int[] pointsOf = new int[MATCHES];
    final String[] resultOf = new String[MATCHES];

    LedgerClient client;

    @Autowired
    PersonalData personal;

    @BeforeAll
    void aPlayerWithOneHundredThousandMatches() {
        client = new LedgerClient(port);
        long started = System.nanoTime();
        List<Object[]> registrations = new ArrayList<>();
        registrations.add(
                row("Player", BUSY, 0, new PlayerRegistered(BUSY, personal.seal(BUSY, "Busy")), FIRST.minusSeconds(1)));
        for (int r = 0; r < RIVALS; r++) {
            PlayerRegistered rival = new PlayerRegistered(rival(r), personal.seal(rival(r), "Rival " + r));
            registrations.add(row("Player", rival(r), 0, rival, FIRST.minusSeconds(1)));
        }
        append(registrations);

        long busyTotal = 0;
        for (int from = 0; from < MATCHES; from += MATCHES_PER_TRANSACTION) {
            List<Object[]> rows = new ArrayList<>(MATCHES_PER_TRANSACTION);
            for (int i = from; i < from + MATCHES_PER_TRANSACTION; i++) {
                Instant at = FIRST.plusSeconds(i);
                // Wins, losses and draws in turn.
                MatchResult result = switch (i % 3) {
                    case 0 -> MatchResult.WIN;
                    case 1 -> MatchResult.LOSS;
                    default -> MatchResult.DRAW;
                };
                int points = Scoring.pointsFor(result);
                busyTotal += points;
                totalAfter[i] = busyTotal;
                pointsOf[i] = points;
                resultOf[i] = result.name();
                rows.add(row(
                        "Player",
                        BUSY,
                        i + 1L,
                        new MatchRecorded(BUSY, "h-" + i, rival(i % RIVALS), result, points, busyTotal, at),
                        at));
            }
            append(rows);
        }
        System.out.printf(
                "long history: %d matches (%d events) appended in %.1f s%n",
                MATCHES, MATCHES + 1 + RIVALS, (System.nanoTime() - started) / 1e9);

        long caughtUp = System.nanoTime();
        long finalTotal = busyTotal;
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(client.get("/api/players/" + BUSY + "/matches?size=1")
                                    .json()
                                    .at("/total")
                                    .asLong())
                            .isEqualTo(MATCHES);
                    assertThat(VoidScenarioTest.pointsAsOf(client, BUSY, FIRST.plusSeconds(MATCHES)))
                            .isEqualTo(finalTotal);
                });
        System.out.printf("long history: the history caught up %.1f s later%n", (System.nanoTime() - caughtUp) / 1e9);
    }

    /**
     * Axon's event table, written in one JDBC batch per transaction: the rows are those Axon's JPA store writes
     * (payload serialized by the service's serializer, with its revision), only without an entity per row.
     */
    private void append(List<Object[]> rows) {
        transactions.executeWithoutResult(status -> jdbc.batchUpdate("""
                insert into domain_event_entry (global_index, type, aggregate_identifier, sequence_number,
                    event_identifier, time_stamp, payload_type, payload_revision, payload, meta_data)
                values (next value for domain_event_entry_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows));
    }

    private Object[] row(String type, String streamId, long sequence, Object payload, Instant timestamp) {
        SerializedObject<byte[]> serialized = serializer.serialize(payload, byte[].class);
        return new Object[] {
            type,
            streamId,
            sequence,
            UUID.randomUUID().toString(),
            DateTimeUtils.formatInstant(timestamp),
            serialized.getType().getName(),
            serialized.getType().getRevision(),
            serialized.getData(),
            NO_METADATA
        };
    }

    @Test
    void theFirstPageHoldsTheNewestMatches() {
        JsonNode page = page(0, 200);

        assertThat(page.get("total").asLong()).isEqualTo(MATCHES);
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(200);
        assertItemsAre(page, 99_999, 99_800);
        JsonNode newest = page.at("/items/0");
        assertThat(newest.get("opponentId").asText()).isEqualTo(rival(99_999 % RIVALS));
        assertThat(newest.get("voided").asBoolean()).isFalse();
        assertThat(Instant.parse(newest.get("occurredAt").asText())).isEqualTo(FIRST.plusSeconds(99_999));
        assertThat(Instant.parse(newest.get("recordedAt").asText())).isEqualTo(FIRST.plusSeconds(99_999));
    }

    @Test
    void aMiddlePageAndTheLastPagesHoldExactlyTheirMatches() {
        assertItemsAre(page(250, 200), 49_999, 49_800);
        assertItemsAre(page(499, 200), 199, 0);
        assertThat(page(500, 200).get("items")).isEmpty();
        // 100,000 = 14,285 pages of 7, and 5 left over for the last one.
        assertItemsAre(page(14_285, 7), 4, 0);
        assertItemsAre(page(14_284, 7), 11, 5);
        assertItemsAre(page(3, 50), 99_849, 99_800);
    }

    @Test
    void consecutivePagesJoinWithoutGapsOrRepeats() {
        // Newest first: each match's totalAfter is the total before the newer match that follows it.
        long newerTotalBeforeItsMatch = -1;
        int seen = 0;
        for (int p = 0; p < 20; p++) {
            for (JsonNode item : page(p, 137).get("items")) {
                if (newerTotalBeforeItsMatch >= 0) {
                    assertThat(item.get("totalAfter").asLong())
                            .as(item.toString())
                            .isEqualTo(newerTotalBeforeItsMatch);
                }
                newerTotalBeforeItsMatch =
                        item.get("totalAfter").asLong() - item.get("points").asInt();
                seen++;
            }
        }
        assertThat(seen).isEqualTo(2_740);
    }

    @Test
    void theTotalAtAnyInstantOfTheHistoryIsExact() {
        assertThat(VoidScenarioTest.pointsAsOf(client, BUSY, FIRST.minusMillis(1)))
                .isZero();
        Random random = new Random(7);
        for (int n = 0; n < 30; n++) {
            int i = random.nextInt(MATCHES);
            assertThat(VoidScenarioTest.pointsAsOf(client, BUSY, FIRST.plusSeconds(i)))
                    .as("at match %d", i)
                    .isEqualTo(totalAfter[i]);
            assertThat(VoidScenarioTest.pointsAsOf(
                            client, BUSY, FIRST.plusSeconds(i).plusMillis(999)))
                    .as("just before match %d", i + 1)
                    .isEqualTo(totalAfter[i]);
        }

        assertThat(VoidScenarioTest.pointsAsOf(client, BUSY, FIRST.plusSeconds(200_000)))
                .isEqualTo(totalAfter[MATCHES - 1]);
    }

    @Test
    void aPageCostsTheSameAnywhereInTheHistory() {
        Random random = new Random(11);
        for (int warmUp = 0; warmUp < 20; warmUp++) {
            page(random.nextInt(500), 200);
        }

        long[] http = new long[100];
        long[] query = new long[100];
        for (int n = 0; n < http.length; n++) {
            int p = n % 2 == 0 ? random.nextInt(500) : 499 - n / 2; // random pages, and the oldest ones
            long started = System.nanoTime();
            Reply reply = client.get("/api/players/h-busy/matches?size=200&page=" + p);
            http[n] = System.nanoTime() - started;
            assertThat(reply.status()).isEqualTo(200);
            started = System.nanoTime();
            PlayerMatchesPage page = queries.query(
                            new PlayerMatchesQuery(BUSY, p, 200),
                            ResponseTypes.optionalInstanceOf(PlayerMatchesPage.class))
                    .join()
                    .orElseThrow();
            query[n] = System.nanoTime() - started;
            assertThat(page.items()).hasSize(200);
        }

        long[] asOf = new long[100];
        for (int n = 0; n < asOf.length; n++) {
            long started = System.nanoTime();
            VoidScenarioTest.pointsAsOf(client, BUSY, FIRST.plusSeconds(random.nextInt(MATCHES)));
            asOf[n] = System.nanoTime() - started;
        }

        long[] events = new long[20];
        for (int n = 0; n < events.length; n++) {
            long started = System.nanoTime();
            Reply reply = client.get("/api/players/h-busy/events?limit=1000&fromSequence=" + random.nextInt(99_000));
            events[n] = System.nanoTime() - started;
            assertThat(reply.json().get("events")).hasSize(1000);
        }

        System.out.printf(
                "long history: page of 200 over HTTP median %.1f ms, p95 %.1f ms; as a query median %.1f ms, "
                        + "p95 %.1f ms; points as of median %.1f ms; 1000 raw events median %.1f ms%n",
                percentile(http, 50),
                percentile(http, 95),
                percentile(query, 50),
                percentile(query, 95),
                percentile(asOf, 50),
                percentile(events, 50));
        // Reported, not asserted: timings belong to the benchmark (ledger-bench), never to a test's verdict.
    }

    @Test
    void theRawEventsOfTheLongLedgerArePagedFromTheStore() {
        JsonNode last = client.get("/api/players/h-busy/events?fromSequence=99998&limit=5")
                .json();
        assertThat(last.get("events"))
                .extracting(event -> event.get("sequence").asLong())
                .containsExactly(99_998L, 99_999L, 100_000L);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.at("/events/2/payload/totalAfter").asLong()).isEqualTo(totalAfter[99_999]);

        JsonNode first = client.get("/api/players/h-busy/events?limit=2").json();
        assertThat(first.get("next").asLong()).isEqualTo(2);
        assertThat(first.at("/events/0/type").asText()).isEqualTo("PlayerRegistered");
    }

    private JsonNode page(int page, int size) {
        Reply reply = client.get("/api/players/h-busy/matches?page=" + page + "&size=" + size);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** The page holds matches {@code newest} down to {@code oldest}, each with its result, points and total. */
    private void assertItemsAre(JsonNode page, int newest, int oldest) {
        JsonNode items = page.get("items");
        assertThat(items).hasSize(newest - oldest + 1);
        int i = newest;
        for (JsonNode item : items) {
            assertThat(item.get("matchId").asText()).isEqualTo("h-" + i);
            assertThat(item.get("result").asText()).as(item.toString()).isEqualTo(resultOf[i]);
            assertThat(item.get("points").asInt()).as(item.toString()).isEqualTo(pointsOf[i]);
            assertThat(item.get("totalAfter").asLong()).as(item.toString()).isEqualTo(totalAfter[i]);
            i--;
        }
    }

    private static String rival(int r) {
        return "h-rival-" + r;
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
